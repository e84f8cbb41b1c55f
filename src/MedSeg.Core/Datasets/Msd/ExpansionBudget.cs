using System.Globalization;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Counts what an archive expands to against <see cref="ImportLimits"/>: declared entry sizes before writing, then every
/// block actually written (headers may lie), and the ratio of expanded bytes to compressed bytes consumed so far.
/// Each refusal is a <see cref="DatasetImportException"/> naming the archive, the entry, the value and the limit.
/// </summary>
internal sealed class ExpansionBudget(string archive, ImportLimits limits)
{
    private long total;

    /// <summary>Compressed bytes of the entries finished so far (zip) or read from the file (tar.gz).</summary>
    public long Compressed { get; private set; }

    public void Declared(string entry, long length, long? compressed)
    {
        if (length > limits.MaxEntryBytes) Refuse(entry, $"declares {length:N0} bytes", limits.MaxEntryBytes, nameof(ImportLimits.MaxEntryBytes));
        if (total + length > limits.MaxExpandedBytes)
            Refuse(entry, $"would bring the expanded archive to {total + length:N0} bytes", limits.MaxExpandedBytes, nameof(ImportLimits.MaxExpandedBytes));
        if (compressed is long c && length > limits.RatioFloorBytes && length > limits.MaxCompressionRatio * Math.Max(c, 1))
            RefuseRatio(entry, length, c);
    }

    public void Expanded(string entry, long entryBytes, int block, long compressedSoFar)
    {
        total += block;
        if (entryBytes > limits.MaxEntryBytes) Refuse(entry, $"expands past {limits.MaxEntryBytes:N0} bytes", limits.MaxEntryBytes, nameof(ImportLimits.MaxEntryBytes));
        if (total > limits.MaxExpandedBytes)
            Refuse(entry, $"brings the expanded archive past {limits.MaxExpandedBytes:N0} bytes", limits.MaxExpandedBytes, nameof(ImportLimits.MaxExpandedBytes));
        if (total > limits.RatioFloorBytes && total > limits.MaxCompressionRatio * Math.Max(compressedSoFar, 1))
            RefuseRatio(entry, total, compressedSoFar);
    }

    public void EntryDone(long compressedSoFar) => Compressed = compressedSoFar;

    private void RefuseRatio(string entry, long expanded, long compressed) =>
        throw new DatasetImportException(string.Create(CultureInfo.InvariantCulture,
            $"{archive}: entry '{entry}' expands {expanded:N0} bytes from {compressed:N0} compressed (ratio {expanded / (double)Math.Max(compressed, 1):F0}), "
            + $"above the compression ratio limit of {limits.MaxCompressionRatio:G} ({limits.Setting(nameof(ImportLimits.MaxCompressionRatio))}); refusing the archive"));

    private void Refuse(string entry, string what, long limit, string setting) =>
        throw new DatasetImportException(string.Create(CultureInfo.InvariantCulture,
            $"{archive}: entry '{entry}' {what}, above the limit of {limit:N0} bytes ({limits.Setting(setting)}); refusing the archive"));
}
