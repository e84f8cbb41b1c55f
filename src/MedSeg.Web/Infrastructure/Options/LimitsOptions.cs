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
}
