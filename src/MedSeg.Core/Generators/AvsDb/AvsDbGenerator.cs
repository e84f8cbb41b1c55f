using System.Buffers;
using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Generates AVS-DB volumes in memory. Volume i depends only on (spec, seed, i): it draws from its own
/// <see cref="DeterministicRandom"/> stream, so results are identical whatever order or thread they are
/// made in. Thread-safe; scratch buffers are reused per thread.
/// </summary>
public sealed class AvsDbGenerator
{
    [ThreadStatic] private static Workspace? t_workspace;

    public AvsDbGenerator(AvsDbSpec spec, ulong seed)
    {
        Spec = spec.EnsureValid();
        Seed = seed;
        LabelType = spec.ClassCount <= byte.MaxValue ? VoxelType.UInt8 : VoxelType.Int16;
    }

    public AvsDbSpec Spec { get; }
    public ulong Seed { get; }
    public VoxelType LabelType { get; }

    public AvsDbSample Generate(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Volume index must be >= 0.");
        var spec = Spec;
        int n = spec.VolumeSize, nz = spec.ZClasses.Length, voxels = n * n * n;
        var ws = t_workspace ??= new Workspace();
        ws.Ensure(voxels);
        var rng = DeterministicRandom.ForStream(Seed, index);
        bool outline = spec.Image.Mode == ImageMode.Outline;

        // 1. Sample every shape (class uniformly, like the reference's random.choice) and rasterise it.
        int count = spec.ShapesPerVolume;
        var shapes = new ShapeRaster[count];
        var classes = new int[count];
        var intensities = new double?[count];
        try
        {
            for (int s = 0; s < count; s++)
            {
                int cls = rng.NextInt(0, spec.ClassCount - 1);
                classes[s] = cls;
                var geometry = ShapeSampler.Sample(spec, cls / nz, cls % nz, rng);
                if (!outline) intensities[s] = spec.Image.FilledIntensity.Sample(rng);
                shapes[s] = ws.Rasterizer.Rasterize(geometry, outline ? spec.Image.OutlineWidth : 0, ArrayPool<byte>.Shared);
            }

            // 2. Largest first, so later (smaller) shapes overwrite the labels of larger ones.
            var order = Enumerable.Range(0, count).OrderByDescending(s => shapes[s].VoxelCount).ThenBy(s => s).ToArray();

            var occupancy = ws.Occupancy;
            Array.Clear(occupancy, 0, voxels);
            var image = new float[voxels];
            if (spec.Image.Background != 0) Array.Fill(image, (float)spec.Image.Background);
            byte[]? label8 = LabelType == VoxelType.UInt8 ? new byte[voxels] : null;
            short[]? label16 = label8 is null ? new short[voxels] : null;

            var records = new List<ShapeRecord>(count);
            int placed = 0;
            foreach (int s in order)
            {
                var shape = shapes[s];
                var result = ShapePlacer.Place(shape, occupancy, n, spec.OverlapLimit, spec.MaxPlacementAttempts, rng);
                int classId = classes[s] + 1;
                if (result.Placed)
                {
                    Paint(shape, result, n, classId, occupancy, label8, label16, image,
                          outline ? (float)spec.Image.OutlineValue : (float)intensities[s]!.Value, outline);
                    placed++;
                }
                records.Add(new ShapeRecord
                {
                    ShapeIndex = s,
                    ClassId = classId,
                    ClassName = spec.ClassName(classId),
                    XyIndex = classes[s] / nz,
                    VertexCount = shape.Geometry.VertexCount,
                    ZIndex = classes[s] % nz,
                    ZRule = shape.Geometry.ZRule,
                    Geometry = shape.Geometry,
                    Intensity = intensities[s],
                    Position = result.Placed ? [result.X, result.Y, result.Z] : null,
                    Size = [shape.SizeX, shape.SizeY, shape.SizeZ],
                    VoxelCount = shape.VoxelCount,
                    OverlapRatio = result.Placed ? (double)result.SharedVoxels / shape.VoxelCount : null,
                    Attempts = result.Attempts,
                    Dropped = !result.Placed,
                    DropReason = result.DropReason,
                });
            }

            // 3. Image post-processing: blur, then noise (noise stays white).
            ImageFilters.GaussianBlur(image, n, spec.Image.BlurSigma, ws.EnsureFloatScratch(voxels));
            ImageFilters.AddNoise(image, spec.Image.NoiseSigma, rng);

            var manifest = new VolumeManifest
            {
                Index = index,
                Seed = Seed,
                VolumeSize = n,
                ShapesPlaced = placed,
                ShapesDropped = count - placed,
                Shapes = records,
            };
            var imageVolume = new Volume(n, n, n, image);
            var labelVolume = new Volume(n, n, n, (Array?)label8 ?? label16!);
            return new AvsDbSample(imageVolume, labelVolume, manifest);
        }
        finally
        {
            foreach (var shape in shapes) shape?.Dispose();
        }
    }

    private static void Paint(ShapeRaster shape, ShapePlacer.Outcome at, int n, int classId, byte[] occupancy,
        byte[]? label8, short[]? label16, float[] image, float value, bool outlineOnly)
    {
        int w = shape.SizeX, h = shape.SizeY, d = shape.SizeZ;
        byte[] box = shape.Box;
        for (int zz = 0; zz < d; zz++)
            for (int yy = 0; yy < h; yy++)
            {
                int o = at.X + n * (at.Y + yy + n * (at.Z + zz));
                int b = w * (yy + h * zz);
                for (int i = 0; i < w; i++)
                {
                    byte v = box[b + i];
                    if (v == 0) continue;
                    int k = o + i;
                    occupancy[k] = ShapePlacer.Occupied;
                    if (label8 is not null) label8[k] = (byte)classId; else label16![k] = (short)classId;
                    // Outline mode keeps every cross-section outline drawn (union), like the reference.
                    if (!outlineOnly || v == ShapeRaster.OutlineInside) image[k] = value;
                }
            }
    }

    private sealed class Workspace
    {
        public ShapeRasterizer Rasterizer { get; } = new();
        public byte[] Occupancy { get; private set; } = [];
        private float[] _floatScratch = [];

        public void Ensure(int voxels)
        {
            if (Occupancy.Length < voxels) Occupancy = new byte[voxels];
        }

        public float[] EnsureFloatScratch(int voxels)
        {
            if (_floatScratch.Length < voxels) _floatScratch = new float[voxels];
            return _floatScratch;
        }
    }
}
