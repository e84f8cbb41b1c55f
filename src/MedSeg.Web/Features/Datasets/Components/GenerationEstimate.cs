using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Web.Components;

namespace MedSeg.Web.Features.Datasets.Components;

/// <summary>
/// Disk bytes and seconds per voxel of AVS-DB generation as measured on this server: the totals over its finished
/// datasets (bytes on disk, started → finished time, volumes × size³). The dataset form multiplies them out before a
/// big job is queued (issue 12: 10,000 volumes × 1024³ could be submitted without a word).
/// </summary>
public sealed record GenerationRate(double BytesPerVoxel, double SecondsPerVoxel, int Datasets)
{
    /// <summary>Bytes per voxel with no measurement: float32 image + uint8 label, before gzip (an upper bound).</summary>
    public const double UncompressedBytesPerVoxel = 5;

    /// <summary>The rate over the finished datasets, or null when none can be measured yet.</summary>
    public static GenerationRate? Measure(IEnumerable<Dataset> datasets)
    {
        double voxels = 0, bytes = 0, seconds = 0;
        var n = 0;
        foreach (var d in datasets)
        {
            if (d.Status != DatasetStatus.Completed || d.StartedUtc is not { } start || d.FinishedUtc is not { } end) continue;
            var size = VolumeSize(d.SpecJson);
            if (size is not > 0 || d.VolumeCountDone <= 0 || end <= start || d.BytesOnDisk <= 0) continue;
            voxels += (double)d.VolumeCountDone * size.Value * size.Value * size.Value;
            bytes += d.BytesOnDisk;
            seconds += (end - start).TotalSeconds;
            n++;
        }
        return n == 0 ? null : new GenerationRate(bytes / voxels, seconds / voxels, n);
    }

    public static double Voxels(int count, int size) => (double)count * size * size * size;

    private static int? VolumeSize(string specJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(specJson);
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name.Equals("volumeSize", StringComparison.OrdinalIgnoreCase) && p.Value.TryGetInt32(out var v)) return v;
        }
        catch (JsonException) { }
        return null;
    }
}

/// <summary>What the dataset form shows for a requested dataset, and whether it must ask before queuing it.</summary>
public sealed record GenerationEstimate(double Bytes, TimeSpan? Time, bool Measured, bool NeedsConfirmation, string Text)
{
    /// <summary>Longer than this, or more bytes than the data disk has free, asks for a confirmation.</summary>
    public static readonly TimeSpan ConfirmAbove = TimeSpan.FromDays(1);

    public static GenerationEstimate For(int count, int size, GenerationRate? rate, long? freeBytes)
    {
        var voxels = GenerationRate.Voxels(count, size);
        var bytes = voxels * (rate?.BytesPerVoxel ?? GenerationRate.UncompressedBytesPerVoxel);
        TimeSpan? time = rate is null ? null : TimeSpan.FromSeconds(Math.Min(voxels * rate.SecondsPerVoxel, TimeSpan.MaxValue.TotalSeconds / 2));
        var tooBig = freeBytes is { } free && bytes > free;
        var tooLong = time > ConfirmAbove;
        var disk = rate is null ? $"up to {Formatting.Bytes((long)Math.Min(bytes, long.MaxValue))} on disk (uncompressed)" : $"about {Formatting.Bytes((long)Math.Min(bytes, long.MaxValue))} on disk";
        var duration = time is { } t ? $"about {Formatting.Duration(t)} to generate" : "generation time is known once a first dataset has finished on this server";
        var basis = rate is null ? "" : $" (rate measured on this server over {rate.Datasets} finished dataset{(rate.Datasets == 1 ? "" : "s")})";
        var text = $"{count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} volumes of {size}³: {disk}, {duration}{basis}.";
        if (tooBig) text += $" The data disk has only {Formatting.Bytes(freeBytes!.Value)} free.";
        return new GenerationEstimate(bytes, time, rate is not null, tooBig || tooLong, text);
    }
}
