using System.Diagnostics;
using System.IO.Compression;
using MedSeg.Core.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Testing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Compression;

/// <summary>
/// Parallel gzip: the writer's chunks become gzip members of one valid multi-member file (checked by `gzip -t`,
/// `gzip -dc` and .NET's GZipStream) with either codec (libdeflate, zlib-ng), the parallel reader returns the same bytes
/// with either codec and refuses corruption, and multi-member files from other tools read back.
/// </summary>
public class ParallelGzipTests
{
    private static byte[] Sample(int length, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)(i / 97 % 13 + (rng.Next(8) == 0 ? rng.Next(256) : 0)); // compressible, not trivially
        return bytes;
    }

    /// <summary>The codecs this machine has: zlib-ng always, libdeflate where libdeflate.so.0 is installed (CI installs it).</summary>
    public static TheoryData<string> Codecs() => LibDeflateCodec.IsAvailable ? new() { "zlib-ng", "libdeflate" } : new() { "zlib-ng" };

    private static DeflateCodec Codec(string name) => name == "libdeflate" ? LibDeflateCodec.Instance : ZlibNgCodec.Instance;

    private static void WriteParallel(string path, byte[] data, int chunkBytes, long expected, int level = 1, DeflateCodec? codec = null)
    {
        using var file = File.Create(path);
        using var gzip = new ParallelGzipWriteStream(file, level, expected, threads: 3, chunkBytes, codec);
        for (int at = 0; at < data.Length; at += 10_000) gzip.Write(data.AsSpan(at, Math.Min(10_000, data.Length - at)));
    }

    private static byte[] ReadWith(string path, int threads, DeflateCodec? codec = null)
    {
        using var stream = ParallelGzipReadStream.Open(new FileStream(path, FileMode.Open, FileAccess.Read), threads, codec);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    internal static (int ExitCode, string Output) GzipTest(string path)
    {
        using var gzip = Process.Start(new ProcessStartInfo("gzip", ["-t", "-v", path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string output = gzip.StandardError.ReadToEnd() + gzip.StandardOutput.ReadToEnd();
        gzip.WaitForExit();
        return (gzip.ExitCode, output);
    }

    internal static byte[] GzipDecompress(string path)
    {
        using var gzip = Process.Start(new ProcessStartInfo("gzip", ["-dc", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var copy = new MemoryStream();
        gzip.StandardOutput.BaseStream.CopyTo(copy);
        gzip.WaitForExit();
        Assert.Equal(0, gzip.ExitCode);
        return copy.ToArray();
    }

    /// <summary>Counts the gzip members by walking their headers, deflate lengths and trailers through the index.</summary>
    internal static int Members(string path)
    {
        using var file = File.OpenRead(path);
        return GzipChunkIndex.TryRead(file)!.Value.Index.CompressedLengths.Length;
    }

    public static TheoryData<int, int, string> Shapes()
    {
        var data = new TheoryData<int, int, string>();
        foreach (string codec in Codecs())
            foreach (var (length, chunk) in new[]
                     {
                         (0, 4096),          // empty: one empty member
                         (1, 4096),
                         (4096, 4096),       // exactly one full chunk
                         (4097, 4096),       // one byte into a second member
                         (250_000, 4096),    // many members
                         (250_000, 1 << 20), // one member
                     })
                data.Add(length, chunk, codec);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ManyChunks_ValidMultiMemberGzip_ReadBackIdentical(int length, int chunkBytes, string codec)
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.gz");
        var data = Sample(length, length);
        WriteParallel(path, data, chunkBytes, length, codec: Codec(codec));

        if (length > 0) Assert.Equal((length + chunkBytes - 1) / chunkBytes, Members(path)); // 0 announced: no index
        var (exit, output) = GzipTest(path);
        Assert.True(exit == 0, output);
        Assert.Equal(data, GzipDecompress(path));         // gzip itself reads every member
        Assert.Equal(data, ReadWith(path, threads: 0));   // sequential GZipStream
        foreach (string reader in Codecs())               // parallel through the index, with either codec
            Assert.Equal(data, ReadWith(path, threads: 4, Codec(reader)));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void SizeAtLevelOne_CloseToSystemZlib(string codec)
    {
        // CT-like int16 data (ramp plus noise, as `medseg volume bench`): nibabel's level 1 is the reference; the
        // file may be at most 5 % larger (zlib-ng's own level 1 would be a third larger: it writes level 2).
        using var dir = new TempDirectory();
        string path = dir.File("ct.gz");
        var rng = new Random(11);
        var voxels = new short[256 * 256 * 8];
        for (int i = 0; i < voxels.Length; i++) voxels[i] = (short)(i % 256 + rng.Next(16));
        var data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(voxels.AsSpan()).ToArray();
        WriteParallel(path, data, ParallelGzipWriteStream.DefaultChunkBytes, data.Length, level: 1, Codec(codec));

        using var reference = new MemoryStream();
        using (var zlib = new ZLibStream(reference, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true)) zlib.Write(data);
        Assert.InRange(new FileInfo(path).Length, 1, (long)(reference.Length * 1.05));
        Assert.Equal(data, ReadWith(path, threads: 2, Codec(codec)));
    }

    [Fact]
    public void MoreDataThanAnnounced_NoIndex_StillValid()
    {
        using var dir = new TempDirectory();
        string path = dir.File("more.gz");
        var data = Sample(40_000, 3);
        WriteParallel(path, data, 4096, expected: 5_000); // index reserved for 2 chunks, 10 written

        Assert.Equal(0, GzipTest(path).ExitCode);
        Assert.Null(GzipChunkIndex.TryRead(File.OpenRead(path))); // count stays 0: sequential reading
        Assert.Equal(data, ReadWith(path, threads: 4));
        Assert.Equal(data, GzipDecompress(path));
    }

    [Fact]
    public void CorruptCrc_IsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("crc.gz");
        var data = Sample(50_000, 5);
        WriteParallel(path, data, 4096, data.Length);
        var bytes = File.ReadAllBytes(path);
        bytes[^8] ^= 0xff; // the last member's CRC-32
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ReadWith(path, threads: 4));
        Assert.Contains("CRC-32", e.Message);
        Assert.NotEqual(0, GzipTest(path).ExitCode);
    }

    [Fact]
    public void CorruptChunk_IsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("chunk.gz");
        var data = Sample(50_000, 6);
        WriteParallel(path, data, 4096, data.Length);
        var bytes = File.ReadAllBytes(path);
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(path, bytes);

        Assert.ThrowsAny<InvalidDataException>(() => ReadWith(path, threads: 4));
    }

    [Theory]
    [InlineData("ct.nii.gz")]
    [InlineData("ct.nii")]
    public void NiftiWriter_FileReadsBackIdentical_AndPassesGzipTest(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        var data = new short[70 * 60 * 50]; // ≈ 420 kB: one member; the chunked theory above covers several
        var rng = new Random(7);
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i % 70 * 10 - 1000 + rng.Next(30));
        var volume = new Volume(70, 60, 50, data, [0.8, 0.8, 2.5]);
        NiftiWriter.Write(volume, path, new NiftiWriteOptions { CompressionThreads = 2 });

        if (name.EndsWith(".gz")) Assert.Equal(0, GzipTest(path).ExitCode);
        Assert.Equal(data, NiftiReader.Read(path).As<short>());
        Assert.Equal(70, NiftiReader.ReadHeader(path).SizeX);
    }

    [Fact]
    public void NiftiWriter_Default_WritesParallelMembers_ReadWholeBySystemGzipPythonAndReader()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ct.nii.gz"), plain = dir.File("ct.nii");
        var data = new short[128 * 128 * 40]; // 1.3 MB of voxels: two 1 MiB members
        var rng = new Random(3);
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i % 128 * 8 - 500 + rng.Next(20));
        var volume = new Volume(128, 128, 40, data, [0.7, 0.7, 3]);
        NiftiWriter.Write(volume, path);
        NiftiWriter.Write(volume, plain);
        var expected = File.ReadAllBytes(plain);

        Assert.Equal(2, Members(path));
        var (exit, output) = GzipTest(path);
        Assert.True(exit == 0, output);
        Assert.Equal(expected, GzipDecompress(path));
        Assert.Equal(expected, PythonGzip.Decompress(path)); // Python's gzip module, as nibabel opens .nii.gz
        Assert.Equal(data, NiftiReader.Read(path).As<short>());
    }

    [Fact]
    public void NiftiWriter_ChunkBytesZero_WritesOneMember()
    {
        using var dir = new TempDirectory();
        string path = dir.File("zeros.nii.gz");
        var volume = Volume.Create<float>(128, 128, 40); // 2.6 MB of zeros
        NiftiWriter.Write(volume, path, new NiftiWriteOptions { GzipChunkBytes = 0 });

        Assert.Equal(1, Members(path));
        Assert.Equal(0, GzipTest(path).ExitCode);
        Assert.All(NiftiReader.Read(path).As<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void NiftiWriter_AskedForChunks_WritesSeveralMembers_ReadBackIdentical()
    {
        using var dir = new TempDirectory();
        string path = dir.File("zeros.nii.gz");
        var volume = Volume.Create<float>(128, 128, 40); // 2.6 MB of zeros + the header: six 512 KiB chunks
        NiftiWriter.Write(volume, path, new NiftiWriteOptions { GzipChunkBytes = 1 << 19 });

        Assert.Equal(6, Members(path));
        Assert.Equal(0, GzipTest(path).ExitCode);
        Assert.All(NiftiReader.Read(path).As<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MultiMemberGzip_ReadBackIdenticalByReader_AndPassesGzipTest()
    {
        using var dir = new TempDirectory();
        string plain = dir.File("plain.nii"), multi = dir.File("multi.nii.gz");
        var data = new short[40 * 30 * 20];
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i * 7 % 3000 - 1500);
        NiftiWriter.Write(new Volume(40, 30, 20, data), plain);
        var bytes = File.ReadAllBytes(plain);
        // Three independent members (header, two halves of the voxels), as `cat a.gz b.gz` or pigz --independent write.
        using (var file = File.Create(multi))
            foreach (var (start, end) in new[] { (0, 352), (352, 352 + (bytes.Length - 352) / 2), (352 + (bytes.Length - 352) / 2, bytes.Length) })
                using (var member = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
                    member.Write(bytes, start, end - start);

        var (exit, output) = GzipTest(multi);
        Assert.True(exit == 0, output);
        Assert.Equal(data, NiftiReader.Read(multi).As<short>());
    }
}
