using MedSeg.Core.Compression;

namespace MedSeg.Core.Nifti;

/// <summary>
/// A ".nii.gz" as browsers' DecompressionStream('gzip') reads it (the slice viewer's NIfTI loader uses that, and it
/// refuses data after a first gzip member): files written with several members (<see cref="NiftiWriteOptions.GzipChunkBytes"/>,
/// the default) are inflated in parallel and re-wrapped as one member of stored deflate blocks — no compression again,
/// the data ≈ as large as the uncompressed volume, streamed with small buffers. One-member files need nothing.
/// </summary>
public static class NiftiBrowserGzip
{
    /// <summary>
    /// The file as one gzip member (its <see cref="Stream.Length"/> is the exact byte count), or null when the stored
    /// bytes already are one (one member, a name not ending in .gz, a gzip file without this project's member index:
    /// serve those as they are). Corrupt data surfaces as <see cref="InvalidDataException"/> while reading.
    /// </summary>
    public static Stream? OpenOneMember(string path)
    {
        if (!NiftiFileStreams.IsGzipName(path)) return null;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            if (GzipChunkIndex.TryRead(file) is not var (index, _) || index.CompressedLengths.Length < 2)
            {
                file.Dispose();
                return null;
            }
            file.Position = 0;
            return new StoredGzipStream(ParallelGzipReadStream.Open(file, Environment.ProcessorCount), index.TotalLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Bytes <see cref="OpenOneMember"/> streams for a volume file of <paramref name="uncompressedLength"/> bytes.</summary>
    public static long OneMemberLength(long uncompressedLength) => StoredGzipStream.LengthFor(uncompressedLength);
}
