using MedSeg.Training.Data;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// Random image crops (labels ignored) from an <see cref="IVolumeSampleSource"/>, windowed to [0, 1]: the raw material
/// of the self-supervised methods. Deterministic in (seed, step, item), thread-safe, no TorchSharp.
/// </summary>
public sealed class UnlabelledCrops
{
    private readonly IVolumeSampleSource _source;
    private readonly long _seed;

    public UnlabelledCrops(IVolumeSampleSource source, int batchSize, CropSize crop, long seed, IntensityWindow? window)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {batchSize}");
        _source = source;
        BatchSize = batchSize;
        Crop = crop;
        Window = window;
        _seed = seed;
        Order = new SampleOrder(seed, source.Count, batchSize);
    }

    public int BatchSize { get; }
    public CropSize Crop { get; }
    public IntensityWindow? Window { get; }
    public SampleOrder Order { get; }
    public string Description => _source.Description;

    /// <summary>[B, 1, Z, Y, X] crops of <paramref name="step"/>.</summary>
    public float[] Build(long step)
    {
        long n = Crop.Voxels;
        var images = new float[BatchSize * n];
        for (int b = 0; b < BatchSize; b++)
        {
            var sample = _source.Load(Order.SampleIndex(step, b));
            Crop.EnsureFits(sample.Image.SizeX, sample.Image.SizeY, sample.Image.SizeZ, sample.Name);
            var rng = SplitMix64.For(_seed, 0xC409, step, b);
            var origin = PatchExtractor.RandomOrigin(ref rng, sample.Image, Crop);
            PatchExtractor.CopyImage(sample.Image, origin, Crop, images, b * n);
            Window?.ApplyInPlace(images.AsSpan((int)(b * n), (int)n));
        }
        return images;
    }
}
