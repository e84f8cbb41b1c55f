namespace MedSeg.Training.Data;

/// <summary>
/// Builds the batch for a step: sample indices from <see cref="SampleOrder"/>, one random crop per item
/// from a <see cref="SplitMix64"/> keyed by (seed, step, item). Thread-safe; no TorchSharp.
/// </summary>
public sealed class BatchBuilder
{
    private readonly IVolumeSampleSource _source;
    private readonly SampleOrder _order;
    private readonly long _seed;

    public BatchBuilder(IVolumeSampleSource source, int batchSize, CropSize crop, long seed)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {batchSize}");
        _source = source;
        BatchSize = batchSize;
        Crop = crop;
        _seed = seed;
        _order = new SampleOrder(seed, source.Count, batchSize);
    }

    public int BatchSize { get; }
    public CropSize Crop { get; }
    public SampleOrder Order => _order;

    public Batch Build(long step)
    {
        long n = Crop.Voxels;
        var images = new float[BatchSize * n];
        var labels = new long[BatchSize * n];
        for (int b = 0; b < BatchSize; b++)
        {
            var sample = _source.Load(_order.SampleIndex(step, b));
            sample.EnsureSameShape();
            Crop.EnsureFits(sample.Image.SizeX, sample.Image.SizeY, sample.Image.SizeZ, sample.Name);
            var rng = SplitMix64.For(_seed, 0xC409, step, b);
            var origin = PatchExtractor.RandomOrigin(ref rng, sample.Image, Crop);
            PatchExtractor.CopyImage(sample.Image, origin, Crop, images, b * n);
            PatchExtractor.CopyLabel(sample.Label, origin, Crop, labels, b * n, _source.ClassCount, sample.Name);
        }
        return new Batch(step, BatchSize, Crop, images, labels);
    }
}
