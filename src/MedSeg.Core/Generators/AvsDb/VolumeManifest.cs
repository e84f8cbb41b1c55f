namespace MedSeg.Core.Generators.AvsDb;

/// <summary>What went into one generated volume: one record per sampled shape, in placement order (largest first).</summary>
public sealed record VolumeManifest
{
    public int Index { get; init; }
    public ulong Seed { get; init; }
    public int VolumeSize { get; init; }
    public int ShapesPlaced { get; init; }
    public int ShapesDropped { get; init; }
    public IReadOnlyList<ShapeRecord> Shapes { get; init; } = [];
}

/// <summary>One sampled shape and the outcome of its placement.</summary>
public sealed record ShapeRecord
{
    /// <summary>Order in which the shape was sampled (placement order is the list order).</summary>
    public int ShapeIndex { get; init; }
    public int ClassId { get; init; }
    public string ClassName { get; init; } = "";
    public int XyIndex { get; init; }
    /// <summary>xy class: 0 = ellipse, otherwise the polygon's vertex count.</summary>
    public int VertexCount { get; init; }
    public int ZIndex { get; init; }
    public ZRule ZRule { get; init; }
    /// <summary>Full instance parameters (z-rule γ values and extremum slice included).</summary>
    public ShapeGeometry Geometry { get; init; } = new();
    /// <summary>Fill intensity in Filled image mode, otherwise null.</summary>
    public double? Intensity { get; init; }
    /// <summary>Volume voxel (x, y, z) of the bounding box's first corner; null when dropped.</summary>
    public int[]? Position { get; init; }
    /// <summary>Bounding box size (x, y, z) in voxels.</summary>
    public int[] Size { get; init; } = [0, 0, 0];
    /// <summary>Voxels of the shape on its own (before anything overwrites it).</summary>
    public long VoxelCount { get; init; }
    /// <summary>Voxels shared with shapes placed before it / its voxels, at the accepted position; null when dropped.</summary>
    public double? OverlapRatio { get; init; }
    /// <summary>Positions tried.</summary>
    public int Attempts { get; init; }
    public bool Dropped { get; init; }
    public string? DropReason { get; init; }
}
