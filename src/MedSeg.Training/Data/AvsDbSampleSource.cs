using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Training.Data;

/// <summary>
/// AVS-DB samples generated on the fly from a spec and seed (no disk I/O): training uses generator indices
/// [offset, offset + count). The held-out validation source uses indices after the training range.
/// </summary>
public sealed class AvsDbSampleSource : IVolumeSampleSource
{
    private readonly AvsDbGenerator _generator;
    private readonly int _offset;

    public AvsDbSampleSource(AvsDbGenerator generator, int count, int offset = 0)
    {
        if (count <= 0) throw new ArgumentException($"AVS-DB sample count must be positive, got {count}.");
        _generator = generator;
        Count = count;
        _offset = offset;
    }

    public int Count { get; }
    /// <summary>Shape classes plus background.</summary>
    public int ClassCount => _generator.Spec.ClassCount + 1;
    public string Description => $"AVS-DB on the fly (seed {_generator.Seed}, {_generator.Spec.VolumeSize}³, {_generator.Spec.ClassCount} classes, indices {_offset}..{_offset + Count - 1})";

    public LabeledVolume Load(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"AVS-DB source holds {Count} samples.");
        var sample = _generator.Generate(_offset + index);
        return new LabeledVolume(sample.Image, sample.Label, $"avs-{_offset + index}");
    }
}
