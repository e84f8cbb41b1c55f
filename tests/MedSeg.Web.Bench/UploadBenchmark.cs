using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using MedSeg.Core.Generators.Phantom;

namespace MedSeg.Web.Bench;

/// <summary>
/// Downstream upload: a SYNTHETIC phantom dataset (<c>--cases</c> of <c>--size</c>) zipped as MSD ships it, posted to
/// <c>POST /api/downstream/datasets</c> of the in-process portal over real HTTP, and imported. Prints archive size,
/// seconds and MB/s end to end, and how much the process's peak working set grew (the body is streamed to disk, so it
/// should stay far below the archive size).
/// </summary>
public static class UploadBenchmark
{
    public static async Task<int> RunAsync(BenchArguments a)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"medseg-bench-upload-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var raw = Path.Combine(temp, "Task99_Phantom");
            var prepare = Stopwatch.StartNew();
            PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = a.Size }, seed: 1, trainCount: a.Cases, raw);
            var zip = Path.Combine(temp, "Task99_Phantom.zip");
            ZipFile.CreateFromDirectory(raw, zip, CompressionLevel.NoCompression, includeBaseDirectory: true); // .nii.gz inside
            var bytes = new FileInfo(zip).Length;
            Console.WriteLine($"archive: {a.Cases} cases of {string.Join('×', a.Size)}, {bytes / 1e6:F1} MB (prepared in {prepare.Elapsed.TotalSeconds:F1}s)");

            await using var app = await BenchPortal.StartAsync(temp);
            var address = BenchPortal.Address(app);
            var cookie = await BenchPortal.RegisterAsync(address, "bench@upload.local", "Passw0rd!");
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromHours(1) };
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            client.DefaultRequestHeaders.Add("X-MedSeg-Request", "1"); // the portal's CSRF guard

            var self = Process.GetCurrentProcess();
            self.Refresh();
            var peakBefore = self.PeakWorkingSet64;
            var timer = Stopwatch.StartNew();
            await using var stream = File.OpenRead(zip);
            using var content = new StreamContent(stream, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.PostAsync("/api/downstream/datasets?name=bench&file=Task99_Phantom.zip&val=0.2&test=0.2", content);
            var body = await response.Content.ReadAsStringAsync();
            var seconds = timer.Elapsed.TotalSeconds;
            self.Refresh();
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"upload answered {(int)response.StatusCode}: {body}");
                return 1;
            }
            Console.WriteLine($"upload + validate + import: {seconds:F2}s, {bytes / 1e6 / seconds:F1} MB/s end to end");
            Console.WriteLine($"peak working set: {peakBefore / 1e6:F0} MB before, {self.PeakWorkingSet64 / 1e6:F0} MB after " +
                $"(+{(self.PeakWorkingSet64 - peakBefore) / 1e6:F0} MB for a {bytes / 1e6:F0} MB archive; client and server share this process)");
            Console.WriteLine($"answer: {body}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }
}
