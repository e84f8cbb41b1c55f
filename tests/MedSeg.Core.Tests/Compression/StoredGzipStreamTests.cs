using MedSeg.Core.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Compression;

/// <summary>
/// The one-member form served to browsers (<see cref="NiftiBrowserGzip"/>, <see cref="StoredGzipStream"/>): exactly one
/// gzip member (zlib with nothing after it, as DecompressionStream requires), the same bytes as the multi-member file
/// by the system gzip and Python, the announced length, and clear errors for short, long or corrupt sources.
/// </summary>
public class StoredGzipStreamTests
{
    private static byte[] Copy(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(StoredGzipStream.MaxBlockBytes)]
    [InlineData(StoredGzipStream.MaxBlockBytes + 1)]
    [InlineData(3 * StoredGzipStream.MaxBlockBytes + 17)]
    public void BlockEdges_OneMemberOfTheSameBytes(int length)
    {
        using var dir = new TempDirectory();
        var data = new byte[length];
        new Random(length).NextBytes(data);
        string path = dir.File("one.gz");
        using (var stream = new StoredGzipStream(new MemoryStream(data), length))
        {
            Assert.Equal(StoredGzipStream.LengthFor(length), stream.Length);
            File.WriteAllBytes(path, Copy(stream));
        }
        Assert.Equal(StoredGzipStream.LengthFor(length), new FileInfo(path).Length);
        Assert.Equal(data, PythonGzip.DecompressExactlyOneMember(path));
        var (exit, output) = ParallelGzipTests.GzipTest(path);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void MultiMemberNifti_ServedAsOneMember_SameBytesAsTheStoredFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ct.nii.gz"), served = dir.File("served.gz");
        var data = new short[200 * 180 * 40]; // 2.9 MB: three members by default
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i % 200 * 5 + i / 36000);
        NiftiWriter.Write(new Volume(200, 180, 40, data), path);
        Assert.Equal(3, ParallelGzipTests.Members(path));

        using (var stream = NiftiBrowserGzip.OpenOneMember(path))
        {
            Assert.NotNull(stream);
            File.WriteAllBytes(served, Copy(stream));
            Assert.Equal(stream.Length, new FileInfo(served).Length);
        }
        var stored = ParallelGzipTests.GzipDecompress(path);
        Assert.Equal(stored, PythonGzip.DecompressExactlyOneMember(served));
        Assert.Equal(stored, ParallelGzipTests.GzipDecompress(served));
        Assert.Equal(NiftiBrowserGzip.OneMemberLength(stored.Length), new FileInfo(served).Length);
    }

    [Theory]
    [InlineData("one.nii.gz", 0)]
    [InlineData("plain.nii", 1 << 20)]
    public void OneMemberOrPlainFile_IsServedAsItIs(string name, int chunkBytes)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        NiftiWriter.Write(Volume.Create<short>(128, 128, 40), path, new NiftiWriteOptions { GzipChunkBytes = chunkBytes });
        Assert.Null(NiftiBrowserGzip.OpenOneMember(path));
    }

    [Fact]
    public void SourceShorterOrLongerThanAnnounced_IsRefused()
    {
        var shortSource = new StoredGzipStream(new MemoryStream(new byte[100_000]), 150_000);
        var e = Assert.Throws<InvalidDataException>(() => Copy(shortSource));
        Assert.Contains("ends after 100,000 of the 150,000 bytes", e.Message);

        var longSource = new StoredGzipStream(new MemoryStream(new byte[100_001]), 100_000);
        e = Assert.Throws<InvalidDataException>(() => Copy(longSource));
        Assert.Contains("more than the 100,000 bytes", e.Message);
    }

    [Fact]
    public void CorruptMember_IsRefusedWhileStreaming()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ct.nii.gz");
        var data = new short[200 * 180 * 40];
        for (int i = 0; i < data.Length; i++) data[i] = (short)(i * 31 % 977);
        NiftiWriter.Write(new Volume(200, 180, 40, data), path);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40; // the last member's CRC-32
        File.WriteAllBytes(path, bytes);

        using var stream = NiftiBrowserGzip.OpenOneMember(path)!;
        var e = Assert.Throws<InvalidDataException>(() => Copy(stream));
        Assert.Contains("gzip member 2", e.Message);
    }
}
