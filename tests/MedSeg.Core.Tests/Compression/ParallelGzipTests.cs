using System.Diagnostics;
using System.IO.Compression;
using MedSeg.Core.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Testing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Compression;

/// <summary>
/// Parallel gzip: the writer's chunks form one valid gzip member (checked by `gzip -t` and .NET's GZipStream), the
/// parallel reader returns the same bytes and refuses corruption, and multi-member files from other tools read back.
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

    private static void WriteParallel(string path, byte[] data, int chunkBytes, long expected, int level = 6)
    {
        using var file = File.Create(path);
        using var gzip = new ParallelGzipWriteStream(file, level, expected, threads: 3, chunkBytes);
        for (int at = 0; at < data.Length; at += 10_000) gzip.Write(data.AsSpan(at, Math.Min(10_000, data.Length - at)));
    }

    private static byte[] ReadWith(string path, int threads)
    {
        using var stream = ParallelGzipReadStream.Open(new FileStream(path, FileMode.Open, FileAccess.Read), threads);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static (int ExitCode, string Output) GzipTest(string path)
    {
        using var gzip = Process.Start(new ProcessStartInfo("gzip", ["-t", "-v", path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string output = gzip.StandardError.ReadToEnd() + gzip.StandardOutput.ReadToEnd();
        gzip.WaitForExit();
        return (gzip.ExitCode, output);
    }

    [Theory]
    [InlineData(0, 4096)]             // empty: one final chunk
    [InlineData(1, 4096)]
    [InlineData(4096, 4096)]          // exactly one full chunk
    [InlineData(4097, 4096)]          // one byte into a second chunk
    [InlineData(250_000, 4096)]       // many chunks
    [InlineData(250_000, 1 << 20)]    // one chunk
    public void ManyChunks_OneValidGzipMember_ReadBackIdentical(int length, int chunkBytes)
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.gz");
        var data = Sample(length, length);
        WriteParallel(path, data, chunkBytes, length);

        var (exit, output) = GzipTest(path);
        Assert.True(exit == 0, output);
        Assert.Equal(data, ReadWith(path, threads: 0));   // sequential GZipStream
        Assert.Equal(data, ReadWith(path, threads: 4));   // parallel, through the chunk index
        using var plain = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
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
    }

    [Fact]
    public void CorruptCrc_IsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("crc.gz");
        var data = Sample(50_000, 5);
        WriteParallel(path, data, 4096, data.Length);
        var bytes = File.ReadAllBytes(path);
        bytes[^8] ^= 0xff; // trailer CRC-32
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
        var data = new short[70 * 60 * 50]; // ≈ 420 kB: several 1 MiB-chunk-free? no: one chunk; see the chunked theory above
        var rng = new Random(7);
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i % 70 * 10 - 1000 + rng.Next(30));
        var volume = new Volume(70, 60, 50, data, [0.8, 0.8, 2.5]);
        NiftiWriter.Write(volume, path, new NiftiWriteOptions { CompressionThreads = 2 });

        if (name.EndsWith(".gz")) Assert.Equal(0, GzipTest(path).ExitCode);
        Assert.Equal(data, NiftiReader.Read(path).As<short>());
        Assert.Equal(70, NiftiReader.ReadHeader(path).SizeX);
    }

    [Fact]
    public void NiftiWriter_ConstantAndLargeVolume_UsesSeveralChunks()
    {
        using var dir = new TempDirectory();
        string path = dir.File("zeros.nii.gz");
        var volume = Volume.Create<float>(128, 128, 40); // 2.6 MB of zeros: three 1 MiB chunks
        NiftiWriter.Write(volume, path);

        using (var file = File.OpenRead(path))
            Assert.Equal(3, GzipChunkIndex.TryRead(file)!.Value.Index.CompressedLengths.Length);
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
