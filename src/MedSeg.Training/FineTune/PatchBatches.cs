using MedSeg.Core.Generators;
using MedSeg.Core.Preprocessing;
using MedSeg.Training.Data;
using MedSeg.Training.Loop;
using MedSeg.Core.Randomness;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Fine-tuning batches: item b of step s is one random patch (<see cref="PreprocessingPipeline.Augment"/>: pos/neg
/// centre, flips, rotation, intensity shift) of the training case <see cref="SampleOrder"/> picks, drawn from a
/// PRNG keyed by (seed, step, item) — so every batch is a pure function of its step and resume is exact.
/// Each item takes its own case (MONAI's num_samples patches of one volume, spread over cases instead).
/// </summary>
public sealed class PatchBatches : ITrainingBatches
{
    private readonly IReadOnlyList<PreparedCase> _cases;
    private readonly PreprocessingPipeline _pipeline;
    private readonly SampleOrder _order;
    private readonly int _batch;
    private readonly int _classes;
    private readonly ulong _seed;
    private readonly CropSize _crop;

    public PatchBatches(IReadOnlyList<PreparedCase> cases, PreprocessingOptions preprocessing, int batchSize, int classCount, long seed)
    {
        _cases = cases;
        _pipeline = new PreprocessingPipeline(preprocessing with { SamplesPerVolume = 1 });
        _order = new SampleOrder(seed, cases.Count, batchSize);
        _batch = batchSize;
        _classes = classCount;
        _seed = unchecked((ulong)seed) ^ 0xF17E7C0DEUL;
        var p = preprocessing.PatchSize;
        _crop = new CropSize(p[0], p[1], p[2]);
        Description = $"{cases.Count} training cases, {_crop} patches (pos {preprocessing.Positive}, neg {preprocessing.Negative})";
    }

    public string Description { get; }

    public double Epoch(long step) => _order.Epoch(step);

    public Batch Build(long step)
    {
        long n = _crop.Voxels;
        var images = new float[_batch * n];
        var labels = new long[_batch * n];
        for (int b = 0; b < _batch; b++)
        {
            var c = _cases[_order.SampleIndex(step, b)];
            var rng = DeterministicRandom.ForStream(_seed, step * _batch + b);
            var patch = _pipeline.Augment(c.Sample, rng)[0];
            var image = patch.Image;
            var label = patch.Label!;
            if (image.VoxelCount != n)
                throw new InvalidOperationException($"Case '{c.Case.Id}': patch {image.SizeX}×{image.SizeY}×{image.SizeZ} is not {_crop}.");
            long offset = b * n;
            for (long i = 0; i < n; i++)
            {
                images[offset + i] = (float)image.GetDouble(i);
                double v = label.GetDouble(i);
                if (!(v >= 0 && v < _classes) || v != Math.Floor(v))
                    throw new InvalidDataException($"Case '{c.Case.Id}' ({c.Case.LabelPath}): label value {v} outside 0..{_classes - 1}.");
                labels[offset + i] = (long)v;
            }
        }
        return new Batch(step, _batch, _crop, images, labels);
    }
}
