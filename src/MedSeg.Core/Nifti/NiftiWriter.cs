using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Writes a <see cref="Volume"/> as single-file NIfTI-1 (magic "n+1", vox_offset 352, little-endian),
/// gzip-compressed when the path ends in ".gz". Voxels stream straight from the volume's array into the
/// (gzip) file. The file appears atomically: data goes to "path.tmp-&lt;guid&gt;", which is renamed over
/// <paramref name="path"/> on success and deleted on any failure.
/// </summary>
public static class NiftiWriter
{
    private const byte UnitsMillimetre = 2;

    public static void Write(Volume volume, string path) => Write(volume, path, NiftiWriteOptions.Default);

    public static void Write(Volume volume, string path, NiftiWriteOptions options) => Write(volume, path, options, null);

    /// <param name="wrapStream">Test hook: wraps the output stream (e.g. to make it fail part-way).</param>
    internal static void Write(Volume volume, string path, NiftiWriteOptions options, Func<Stream, Stream>? wrapStream)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(options);
        if (!NiftiDataTypes.Writable.Contains(volume.Type))
            throw new NotSupportedException(
                $"{Path.GetFileName(path)}: cannot write voxel type {volume.Type}; writable types are {string.Join(", ", NiftiDataTypes.Writable)}.");
        if (!volume.Affine.All(double.IsFinite))
            throw new ArgumentException(
                $"{Path.GetFileName(path)}: affine has non-finite values [{string.Join(", ", volume.Affine)}]; cannot write geometry.");
        byte[] header = NiftiHeaderCodec.Encode(HeaderFor(volume, options));

        string temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                long length = header.Length + 4 + (long)volume.Data.Length * volume.Type.ByteSize();
                Stream output = NiftiFileStreams.WrapForWrite(file, path, options, length);
                try
                {
                    var target = wrapStream?.Invoke(output) ?? output;
                    target.Write(header);
                    target.Write(stackalloc byte[4]); // extension flag: no extensions
                    VoxelStreamIO.Write(target, volume.Data);
                    target.Flush();
                }
                finally
                {
                    // Disposing the gzip stream writes its trailer; the file itself closes below.
                    if (!ReferenceEquals(output, file)) output.Dispose();
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    internal static NiftiHeader HeaderFor(Volume volume, NiftiWriteOptions options)
    {
        var h = new NiftiHeader
        {
            Dim = [3, Checked16(volume.SizeX), Checked16(volume.SizeY), Checked16(volume.SizeZ), 1, 1, 1, 1],
            DataType = (short)volume.Type,
            BitPix = (short)(8 * volume.Type.ByteSize()),
            VoxOffset = NiftiHeader.SingleFileVoxOffset,
            SclSlope = 1,
            SclInter = 0,
            XyztUnits = UnitsMillimetre,
            Descrip = options.Description,
            Magic = "n+1",
        };
        NiftiGeometry.SetGeometry(h, volume.Affine, volume.Spacing, options.SFormCode, options.QFormCode);
        return h;
    }

    private static short Checked16(int size) => size <= short.MaxValue
        ? (short)size
        : throw new NotSupportedException($"NIfTI-1 sizes are 16-bit; {size} voxels along one axis is too many.");

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
