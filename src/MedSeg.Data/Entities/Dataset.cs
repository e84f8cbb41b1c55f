namespace MedSeg.Data.Entities;

/// <summary>A generated dataset: its spec, where it lives on disk and how far generation got.</summary>
public class Dataset
{
    public int Id { get; set; }

    /// <summary>Lab that owns the dataset (see <see cref="Labs"/>).</summary>
    public string LabId { get; set; } = Labs.Default;

    public string Name { get; set; } = "";

    /// <summary>Generator kind, e.g. <see cref="DatasetKinds.AvsDb"/>.</summary>
    public string Kind { get; set; } = DatasetKinds.AvsDb;

    /// <summary>The generator spec as JSON (camelCase), exactly as the generator was given it.</summary>
    public string SpecJson { get; set; } = "{}";

    public long Seed { get; set; }

    public DatasetStatus Status { get; set; } = DatasetStatus.Queued;

    public int VolumeCountRequested { get; set; }

    /// <summary>Volumes whose image and label are both complete on disk.</summary>
    public int VolumeCountDone { get; set; }

    public long BytesOnDisk { get; set; }

    /// <summary>Folder of the dataset relative to the storage data root.</summary>
    public string Path { get; set; } = "";

    public string OwnerId { get; set; } = "";
    public ApplicationUser? Owner { get; set; }

    public DateTime CreatedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }

    /// <summary>Why generation failed, if it did.</summary>
    public string? Error { get; set; }

    /// <summary>Shapes the generator dropped (e.g. they did not fit the volume), summed over written volumes.</summary>
    public int DroppedShapes { get; set; }

    /// <summary>True while a generation may still change the row (queued or running).</summary>
    public bool IsActive => Status is DatasetStatus.Queued or DatasetStatus.Running;
}
