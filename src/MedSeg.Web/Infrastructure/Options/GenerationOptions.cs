namespace MedSeg.Web.Infrastructure.Options;

/// <summary>Background generation settings, bound from the <c>Generation</c> section.</summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary>How often the queue is re-read even without a local signal (rows queued by other processes). Default 5 s.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest volume count one dataset may request. Default 10000.</summary>
    public int MaxVolumeCount { get; set; } = 10_000;

    /// <summary>Volumes generated at once; null = half the cores (the web server keeps the rest). Default null.</summary>
    public int? MaxDegreeOfParallelism { get; set; }
}
