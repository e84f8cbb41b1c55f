using MedSeg.Core.Generators.Phantom;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>Phantom CT cases generated in memory as Volume Fusion sources (no folder needed; labels unused).</summary>
public static class VolfPhantomSources
{
    public const int MaxCount = 1000;

    public static VolfSourceSet Create(AbdomenPhantomSpec spec, ulong seed, int count, VolfOptions options)
    {
        if (count < 1 || count > MaxCount)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"phantom source count must be in 1..{MaxCount}, got {count}");
        var generator = new AbdomenPhantomGenerator(spec.Validated(), seed);
        var volumes = Enumerable.Range(0, count)
            .Select(i => (PhantomDatasetLayout.CaseId(i), generator.Generate(i).Image)).ToArray();
        return VolfSourceSet.FromVolumes(volumes, options, cacheSize: count);
    }
}
