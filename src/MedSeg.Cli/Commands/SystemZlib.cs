using System.Runtime.InteropServices;

namespace MedSeg.Cli.Commands;

/// <summary>
/// The system's zlib (libz.so.1, what Python's gzip module and so nibabel use) for reference sizes in benchmarks:
/// .NET ships zlib-ng, whose levels compress differently.
/// </summary>
internal static class SystemZlib
{
    /// <summary>zlib's version string, or null when libz.so.1 is not there.</summary>
    public static string? Version
    {
        get
        {
            try { return Marshal.PtrToStringAnsi(ZlibVersion()); }
            catch (DllNotFoundException) { return null; }
        }
    }

    /// <summary>Compressed size at <paramref name="level"/> (zlib wrapper, 6 bytes less than gzip's 18), or null without libz.</summary>
    public static long? CompressedSize(byte[] data, int level)
    {
        try
        {
            nuint bound = CompressBound((nuint)data.Length);
            var output = new byte[(long)bound];
            nuint length = bound;
            int status = Compress2(output, ref length, data, (nuint)data.Length, level);
            return status == 0 ? (long)length + 12 : null;
        }
        catch (DllNotFoundException) { return null; }
    }

    [DllImport("libz.so.1", EntryPoint = "zlibVersion")]
    private static extern IntPtr ZlibVersion();

    [DllImport("libz.so.1", EntryPoint = "compressBound")]
    private static extern nuint CompressBound(nuint sourceLength);

    [DllImport("libz.so.1", EntryPoint = "compress2")]
    private static extern int Compress2(byte[] dest, ref nuint destLength, byte[] source, nuint sourceLength, int level);
}
