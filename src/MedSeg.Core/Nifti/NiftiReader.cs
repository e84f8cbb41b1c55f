using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 volumes (.nii, .nii.gz) in either byte order.
/// Voxels stream from the (possibly gzip) file straight into the volume's typed array, so reading needs
/// about the volume's size in memory (twice when scl_slope/scl_inter convert it to floating point).
/// Geometry: sform if sform_code &gt; 0, else qform if qform_code &gt; 0, else diag(pixdim) (see <see cref="NiftiGeometry"/>).
/// Scaling: when scl_slope is finite, nonzero and (slope, inter) ≠ (1, 0), values become slope·stored + inter,
/// as float32 for stored uint8/int8/int16/uint16/float32 and float64 for int32/int64/float64 (see <see cref="VoxelScaling"/>);
/// otherwise the stored type is kept. Extensions between byte 352 and vox_offset are skipped.
/// </summary>
public static class NiftiReader
{
    private static readonly string[] AcceptedShapes = ["3-D volumes", "4-D with dim[4] = 1"];

    /// <summary>How <see cref="NiftiFormatException.Problem"/> starts for a multi-channel (or time series) 4-D image.</summary>
    public const string MultiChannelPrefix = "4-D image";

    /// <summary>Reads the whole volume. Throws <see cref="NiftiFormatException"/> for any malformed file.</summary>
    public static Volume Read(string path) => Read(path, channel: null);

    /// <summary>
    /// Reads one 3-D volume of a 4-D image (dim[4] channels, e.g. MSD BrainTumour's four MRI sequences); a 3-D file
    /// has only channel 0. The channels before it are streamed past, not kept.
    /// </summary>
    public static Volume ReadChannel(string path, int channel) => Read(path, (int?)channel);

    private static Volume Read(string path, int? channel)
    {
        using var stream = NiftiFileStreams.OpenRead(path, parallel: true);
        try
        {
            var header = ReadHeader(stream, path, allowChannels: channel is not null);
            SkipTo(stream, header, path);
            var type = header.VoxelType!.Value;
            long count = (long)header.SizeX * header.SizeY * header.SizeZ;
            if (channel is int c)
            {
                if (c < 0 || c >= header.Channels)
                    throw new NiftiFormatException(path, $"channel {c} does not exist: the image has {header.Channels} (0..{header.Channels - 1})");
                Skip(stream, c * count * type.ByteSize(), path);
            }
            bool swap = header.IsBigEndian == BitConverter.IsLittleEndian;
            Array data = VoxelStreamIO.Read(stream, type, count, swap, path);
            if (header.HasScaling) data = VoxelScaling.Apply(data, type, header.SclSlope, header.SclInter);
            return new Volume(header.SizeX, header.SizeY, header.SizeZ, data, header.GetSpacing(), header.GetAffine());
        }
        catch (InvalidDataException e)
        {
            throw new NiftiFormatException(path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>Reads and validates only the header (cheap: 348 bytes, even from .nii.gz).</summary>
    /// <param name="allowChannels">Accept 4-D images with several channels (see <see cref="ReadChannel"/>).</param>
    public static NiftiHeader ReadHeader(string path, bool allowChannels = false)
    {
        using var stream = NiftiFileStreams.OpenRead(path);
        try
        {
            return ReadHeader(stream, path, allowChannels);
        }
        catch (InvalidDataException e)
        {
            throw new NiftiFormatException(path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    private static NiftiHeader ReadHeader(Stream stream, string path, bool allowChannels = false)
    {
        var bytes = new byte[NiftiHeader.Size];
        int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < NiftiHeader.Size)
            throw new NiftiFormatException(path, $"header ends after {got:N0} of {NiftiHeader.Size} bytes");
        var header = NiftiHeaderCodec.Decode(bytes, path);
        Validate(header, path, allowChannels);
        return header;
    }

    private static void Validate(NiftiHeader h, string path, bool allowChannels)
    {
        int rank = h.Dim[0];
        if (rank < 1 || rank > 7)
            throw new NiftiFormatException(path, $"dim[0] is {rank} (must be 1–7)");
        if (rank < 3)
            throw new NiftiFormatException(path, $"dim[0] is {rank}: a {rank}-D image; only {string.Join(" or ", AcceptedShapes)} are supported");
        for (int i = 1; i <= 3; i++)
            if (h.Dim[i] < 1)
                throw new NiftiFormatException(path, $"dim[{i}] is {h.Dim[i]} (must be at least 1)");
        if (rank >= 4 && h.Dim[4] > 1 && Enumerable.Range(5, rank - 4).All(i => h.Dim[i] == 1) && !allowChannels)
            throw new NiftiFormatException(path,
                $"{MultiChannelPrefix} of shape {h.Dim[1]}×{h.Dim[2]}×{h.Dim[3]}×{h.Dim[4]} ({h.Dim[4]} channels or time points): "
                + $"dim[4] is {h.Dim[4]} (dim = [{string.Join(", ", h.Dim.Take(rank + 1))}]); only {string.Join(" or ", AcceptedShapes)} are supported");
        for (int i = allowChannels ? 5 : 4; i <= rank; i++)
            if (h.Dim[i] != 1)
                throw new NiftiFormatException(path,
                    $"dim[{i}] is {h.Dim[i]} (dim = [{string.Join(", ", h.Dim.Take(rank + 1))}]); only {string.Join(" or ", AcceptedShapes)} are supported");
        if (h.VoxelType is null)
            throw new NiftiFormatException(path,
                $"unsupported datatype {h.DataType} ({NiftiDataTypes.Name(h.DataType)}); supported: {NiftiDataTypes.SupportedList}");
        if (!float.IsFinite(h.VoxOffset) || h.VoxOffset < NiftiHeader.Size)
            throw new NiftiFormatException(path, $"vox_offset is {h.VoxOffset} (must be at least {NiftiHeader.Size} in a single-file NIfTI)");
    }

    /// <summary>Skips the extension flag and any extensions (ignored) up to vox_offset.</summary>
    private static void SkipTo(Stream stream, NiftiHeader h, string path) =>
        Skip(stream, (long)h.VoxOffset - NiftiHeader.Size, path, skipped => $"file ends at byte {NiftiHeader.Size + skipped:N0}, before vox_offset {(long)h.VoxOffset:N0}");

    private static void Skip(Stream stream, long skip, string path, Func<long, string>? endedEarly = null)
    {
        Span<byte> sink = stackalloc byte[4096];
        long skipped = 0;
        while (skipped < skip)
        {
            int n = stream.Read(sink[..(int)Math.Min(sink.Length, skip - skipped)]);
            if (n == 0)
                throw new NiftiFormatException(path, endedEarly?.Invoke(skipped) ?? $"data ends after {skipped:N0} of the {skip:N0} bytes before the channel asked for");
            skipped += n;
        }
    }
}
