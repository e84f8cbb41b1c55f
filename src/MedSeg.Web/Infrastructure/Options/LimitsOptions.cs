namespace MedSeg.Web.Infrastructure.Options;

/// <summary>
/// Upper bounds on every number a user can send the portal (run and fine-tune settings, archive imports), bound from the
/// <c>Limits</c> section and checked where requests enter (<see cref="Runs.RunLimits"/>, the upload). Defaults follow
/// the machine where that matters (cores); raise them in configuration for a bigger server. Messages name the field,
/// the value and the setting (e.g. <c>Limits:MaxBatchSize</c>).
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>torch intra-op threads a run may ask for; also the clamp applied when a run starts. Default: the cores.</summary>
    public int MaxTorchThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Optimiser steps of one run (pretraining or fine-tuning). Default 1,000,000.</summary>
    public long MaxSteps { get; set; } = 1_000_000;

    /// <summary>Batch size. Default 64.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Crop / patch edge in voxels. Default 256.</summary>
    public int MaxCrop { get; set; } = 256;

    /// <summary>Distinct training samples of a pretraining run. Default 1,000,000.</summary>
    public int MaxSamples { get; set; } = 1_000_000;

    /// <summary>Epochs of a pretraining run without explicit steps. Default 10,000.</summary>
    public int MaxEpochs { get; set; } = 10_000;

    /// <summary>Network width: feature size and every integer in the model arguments (e.g. BasicUNet features). Default 512.</summary>
    public int MaxNetworkWidth { get; set; } = 512;

    /// <summary>
    /// Resident memory one run may need by its estimate (network, crop, batch, classes: <see cref="Runs.RunMemoryAdmission"/>);
    /// a run estimated above it is refused where it enters. Default: this machine's memory.
    /// </summary>
    public long MaxRunMemoryBytes { get; set; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Checkpoints kept. Default 100.</summary>
    public int MaxKeepLast { get; set; } = 100;

    /// <summary>Held-out validation samples. Default 1,000.</summary>
    public int MaxValidationSamples { get; set; } = 1_000;

    /// <summary>Data-loader workers of one run. Default 16.</summary>
    public int MaxLoaderWorkers { get; set; } = 16;

    /// <summary>Batches prefetched by one run. Default 64.</summary>
    public int MaxPrefetch { get; set; } = 64;

    /// <summary>Bytes an imported archive may expand to (all entries together). Default 64 GiB.</summary>
    public long MaxExpandedBytes { get; set; } = 64L << 30;

    /// <summary>Bytes one archive entry may expand to. Default 8 GiB.</summary>
    public long MaxEntryBytes { get; set; } = 8L << 30;

    /// <summary>Expanded ÷ compressed size an archive (or a .nii.gz inside it) may reach. Default 200.</summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>Voxels of one NIfTI volume read by an import (checked against the header before anything is allocated). Default 268,435,456 (512² × 1024).</summary>
    public long MaxVoxels { get; set; } = 1L << 28;

    /// <summary>Sign-in, registration and setup form posts per client address per minute. Default 20.</summary>
    public int AuthPostsPerMinute { get; set; } = 20;

    /// <summary>Archive uploads per account per hour. Default 30.</summary>
    public int UploadsPerHour { get; set; } = 30;

    /// <summary>Size of a safetensors checkpoint attached through the ingestion API. Default 8 GiB.</summary>
    public long MaxIngestCheckpointBytes { get; set; } = 8L << 30;

    /// <summary>Size of a safetensors file imported as pretrained weights for benchmark protocols (portal upload). Default 4 GiB.</summary>
    public long MaxWeightsUploadBytes { get; set; } = 4L << 30;

    /// <summary>Rows of one page of a list (runs, datasets, leaderboards; pages and API). Default 200.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Runs of one lab training at once (the rest of its queue waits; other labs' runs go first). Default 4.</summary>
    public int MaxRunningRunsPerLab { get; set; } = 4;

    /// <summary>Queued runs one lab may hold; a new run beyond is refused where it enters. Default 100.</summary>
    public int MaxQueuedRunsPerLab { get; set; } = 100;

    /// <summary>
    /// Bytes one lab's datasets, runs and downstream datasets may take under the data root; new datasets, runs and uploads
    /// are refused past it. Default (null): half the drive that holds the data root.
    /// </summary>
    public long? MaxDiskBytesPerLab { get; set; }

    /// <summary>Per-lab exceptions to the three quotas above, by lab id (<c>Limits:Labs:alpha:MaxQueuedRuns=20</c>).</summary>
    public Dictionary<string, LabQuota> Labs { get; set; } = [];

    /// <summary>The quotas of <paramref name="labId"/>: its own entry where it has one, else the defaults above.</summary>
    public LabQuota QuotaFor(string labId, string dataRoot)
    {
        var own = Labs.GetValueOrDefault(labId);
        return new LabQuota
        {
            MaxRunningRuns = own?.MaxRunningRuns ?? MaxRunningRunsPerLab,
            MaxQueuedRuns = own?.MaxQueuedRuns ?? MaxQueuedRunsPerLab,
            MaxDiskBytes = own?.MaxDiskBytes ?? MaxDiskBytesPerLab ?? HalfTheDrive(dataRoot),
        };
    }

    /// <summary>Problems with the quota settings themselves (empty = usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxRunningRunsPerLab < 1) problems.Add($"Limits:MaxRunningRunsPerLab: at least 1, got {MaxRunningRunsPerLab}.");
        if (MaxQueuedRunsPerLab < 1) problems.Add($"Limits:MaxQueuedRunsPerLab: at least 1, got {MaxQueuedRunsPerLab}.");
        if (MaxWeightsUploadBytes < 1) problems.Add($"Limits:MaxWeightsUploadBytes: at least 1 byte, got {MaxWeightsUploadBytes}.");
        if (MaxDiskBytesPerLab is < 1) problems.Add($"Limits:MaxDiskBytesPerLab: at least 1 byte, got {MaxDiskBytesPerLab}.");
        foreach (var (lab, q) in Labs)
        {
            if (q.MaxRunningRuns is < 1) problems.Add($"Limits:Labs:{lab}:MaxRunningRuns: at least 1, got {q.MaxRunningRuns}.");
            if (q.MaxQueuedRuns is < 1) problems.Add($"Limits:Labs:{lab}:MaxQueuedRuns: at least 1, got {q.MaxQueuedRuns}.");
            if (q.MaxDiskBytes is < 1) problems.Add($"Limits:Labs:{lab}:MaxDiskBytes: at least 1 byte, got {q.MaxDiskBytes}.");
        }
        return problems;
    }

    private static long HalfTheDrive(string dataRoot)
    {
        try { return new DriveInfo(Path.GetFullPath(dataRoot)).TotalSize / 2; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return 1L << 40; } // 1 TiB where the drive cannot be read
    }
}
