using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MedSeg.Core.Generators.Phantom;
using Xunit.Abstractions;
using MedSeg.Testing;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>
/// Findings 3 and 9: decompression bombs and malformed archives sent to <c>POST /api/downstream/datasets</c> are refused
/// with ProblemDetails naming the limit (422), leave nothing under <c>downstream/</c>, and the server's memory stays
/// flat while it refuses them.
/// </summary>
public sealed class SafeImportTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IdlePortalFactory factory = new();
    private readonly TempDirectory temp = new("medseg-bombs");
    private SignedInUser user = default!;

    public async Task InitializeAsync() => user = await TestAccounts.RegisterAsync(factory, "pi@bombs.test");

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task TwoMegabyteZip_ExpandingToTwoGigabytes_Is422NamingTheRatioLimit_NothingOnDisk_MemoryFlat()
    {
        var zip = Path.Combine(temp.Path, "bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            await using var entry = archive.CreateEntry("Task99/imagesTr/bomb.nii", CompressionLevel.SmallestSize).Open();
            WriteZeros(entry, 2L << 30);
        }
        var size = new FileInfo(zip).Length;
        output.WriteLine($"bomb.zip: {size:N0} bytes for 2 GiB");
        Assert.InRange(size, 1L << 20, 4L << 20);

        var (response, idle, peak) = await PostMeasuringMemoryAsync(zip, "name=bomb&file=bomb.zip");

        var problem = await Problem(response);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{response.StatusCode}: {problem}");
        Assert.Contains("Limits:MaxCompressionRatio", problem);
        Assert.Contains("bomb.zip: entry 'Task99/imagesTr/bomb.nii'", problem);
        AssertNothingOnDisk();
        output.WriteLine($"working set idle {idle / 1e6:F0} MB, peak during the upload {peak / 1e6:F0} MB");
        Assert.True(peak - idle < 200L << 20, $"peak {peak / 1e6:F0} MB vs idle {idle / 1e6:F0} MB");
    }

    [Fact]
    public async Task TarGzBomb_IsRefusedWhileStreaming_NamingTheRatioLimit_MemoryFlat()
    {
        var tgz = Path.Combine(temp.Path, "bomb.tar.gz");
        await using (var file = File.Create(tgz))
        await using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            // The header honestly declares 1 GiB: under MaxEntryBytes, so only the ratio, judged while streaming, stops it.
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "Task99/imagesTr/bomb.nii") { DataStream = new ZeroStream(1L << 30) };
            await tar.WriteEntryAsync(entry);
        }
        output.WriteLine($"bomb.tar.gz: {new FileInfo(tgz).Length:N0} bytes for 1 GiB");

        var (response, idle, peak) = await PostMeasuringMemoryAsync(tgz, "name=bomb&file=bomb.tar.gz");

        var problem = await Problem(response);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{response.StatusCode}: {problem}");
        Assert.Contains("above the compression ratio limit of 200 (Limits:MaxCompressionRatio)", problem);
        AssertNothingOnDisk();
        output.WriteLine($"working set idle {idle / 1e6:F0} MB, peak during the upload {peak / 1e6:F0} MB");
        Assert.True(peak - idle < 200L << 20, $"peak {peak / 1e6:F0} MB vs idle {idle / 1e6:F0} MB");
    }

    [Fact]
    public async Task NiftiDeclaring1100Cubed_IsRefusedOnItsHeader_BeforeAnyBufferIsAllocated()
    {
        var raw = Phantom("Task99_Phantom");
        // A real label whose header now declares 1100³ voxels: the gzip stream holds only the original few KB.
        var label = Path.Combine(raw, "labelsTr", "phantom_000.nii.gz");
        var bytes = Gunzip(label);
        foreach (var offset in new[] { 42, 44, 46 }) BitConverter.GetBytes((short)1100).CopyTo(bytes, offset);
        await using (var file = File.Create(label))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest)) gzip.Write(bytes);
        var zip = Path.Combine(temp.Path, "lying.zip");
        ZipFile.CreateFromDirectory(raw, zip);

        var (response, idle, peak) = await PostMeasuringMemoryAsync(zip, "name=lying&file=lying.zip");

        var problem = await Problem(response);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{response.StatusCode}: {problem}");
        Assert.Contains("labelsTr/phantom_000.nii.gz", problem);
        Assert.Contains("1,331,000,000 voxels, above the limit of 268,435,456 (Limits:MaxVoxels)", problem);
        AssertNothingOnDisk();
        Assert.True(peak - idle < 200L << 20, $"peak {peak / 1e6:F0} MB vs idle {idle / 1e6:F0} MB");
    }

    [Fact]
    public async Task DuplicateZipEntry_AndFractionsLeavingNoTrainingCase_AreProblemDetails422_NotHtml500()
    {
        var raw = Phantom("Task99_Phantom");
        var zip = Path.Combine(temp.Path, "twice.zip");
        ZipFile.CreateFromDirectory(raw, zip);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
            archive.CreateEntryFromFile(Path.Combine(raw, "dataset.json"), "dataset.json");

        var twice = await PostAsync(zip, "name=twice&file=twice.zip");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal("application/problem+json", twice.Content.Headers.ContentType?.MediaType);
        Assert.Contains("entry 'dataset.json' appears more than once", await Problem(twice));

        var fine = Path.Combine(temp.Path, "fine.zip");
        ZipFile.CreateFromDirectory(raw, fine);
        var noTraining = await PostAsync(fine, "name=none&file=fine.zip&val=0.45&test=0.45");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noTraining.StatusCode);
        Assert.Equal("application/problem+json", noTraining.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no training case left out of 6", await Problem(noTraining));
        AssertNothingOnDisk();
    }

    private string Phantom(string name)
    {
        var raw = Path.Combine(temp.Path, name);
        PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [32, 32, 12] }, seed: 5, trainCount: 6, raw);
        return raw;
    }

    private async Task<(HttpResponseMessage Response, long Idle, long Peak)> PostMeasuringMemoryAsync(string file, string query)
    {
        using var self = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        self.Refresh();
        long idle = self.WorkingSet64, peak = idle;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                await Task.Delay(10);
            }
        });
        var response = await PostAsync(file, query);
        await stop.CancelAsync();
        await sampler;
        return (response, idle, peak);
    }

    private async Task<HttpResponseMessage> PostAsync(string file, string query)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await user.CreateClient(factory).PostAsync($"/api/downstream/datasets?{query}", content);
    }

    private static async Task<string> Problem(HttpResponseMessage response) =>
        string.Join("\n", (await response.Content.ReadFromJsonAsync<ApiProblemList>())?.Problems ?? []);

    private void AssertNothingOnDisk()
    {
        var folder = Path.Combine(factory.DataRoot, "downstream");
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : []);
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static void WriteZeros(Stream target, long count)
    {
        var zeros = new byte[1 << 20];
        for (long left = count; left > 0; left -= zeros.Length) target.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
    }

    /// <summary>A read-only stream of <paramref name="length"/> zero bytes, without holding them.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long position;
        public override bool CanRead => true;
        public override bool CanSeek => true; // TarWriter reads the entry's size from Length
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => position = value; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) =>
            position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => position + offset, _ => length + offset };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
