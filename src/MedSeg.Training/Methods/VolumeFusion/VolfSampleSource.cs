using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Data;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>Fused samples [offset, offset + count) of a <see cref="VolfSampler"/> as labelled volumes (image float, label = fusion class).</summary>
public sealed class VolfSampleSource(VolfSampler sampler, int count, int offset, string description) : IVolumeSampleSource
{
    public int Count { get; } = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
    public int ClassCount => sampler.Options.Classes;
    public string Description { get; } = description;

    public LabeledVolume Load(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the source holds {Count} samples");
        var s = sampler.Generate(offset + index);
        return new LabeledVolume(VolfDatasetWriter.ToVolume(s, s.Image), VolfDatasetWriter.ToVolume(s, s.Label), s.Manifest.Case);
    }
}
