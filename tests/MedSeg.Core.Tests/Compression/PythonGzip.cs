using System.Diagnostics;

namespace MedSeg.Core.Tests.Compression;

/// <summary>Python's gzip and zlib modules (python3 on PATH): how nibabel reads .nii.gz, and a strict one-member check.</summary>
internal static class PythonGzip
{
    /// <summary>The whole file through gzip.open (reads every member, as nibabel does).</summary>
    public static byte[] Decompress(string path) =>
        Run("import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())", path);

    /// <summary>
    /// Inflates only the first gzip member (zlib, wbits 31 = one gzip stream, as a browser's DecompressionStream does)
    /// and fails when anything follows it: the bytes of a file that must be exactly one member.
    /// </summary>
    public static byte[] DecompressExactlyOneMember(string path) =>
        Run("import zlib, sys\n" +
            "d = zlib.decompressobj(31); data = d.decompress(open(sys.argv[1], 'rb').read())\n" +
            "if not d.eof: sys.exit('gzip member is truncated')\n" +
            "if d.unused_data: sys.exit(f'{len(d.unused_data)} bytes follow the first gzip member')\n" +
            "sys.stdout.buffer.write(data)", path);

    private static byte[] Run(string script, string path)
    {
        using var python = Process.Start(new ProcessStartInfo("python3", ["-c", script, path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var copy = new MemoryStream();
        var error = python.StandardError.ReadToEndAsync();
        python.StandardOutput.BaseStream.CopyTo(copy);
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"python3 on {Path.GetFileName(path)}: {error.Result}");
        return copy.ToArray();
    }
}
