using System.Net;
using System.Net.Http.Headers;
using MedSeg.Testing;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// Findings 8 and 11 with the built portal as a real process: <c>ASPNETCORE_URLS</c> decides where it listens (no
/// fixed <c>Urls</c> in appsettings.json overrides it), and a kill -9 in the middle of an upload leaves a staging file
/// that the next start removes.
/// </summary>
public sealed class OperationsProcessTests
{
    [Fact]
    public async Task AspNetCoreUrls_IsHonoured_AndKillDuringUpload_StagingIsRemovedAtTheNextStart()
    {
        using var temp = new TempDirectory("medseg-ops");
        var downstream = Path.Combine(temp.Path, "data", "downstream");
        using (var portal = TestPortalProcess.Create(temp.Path, urlsFromEnvironment: true))
        {
            await portal.StartAsync(); // polls BaseAddress: only answers if ASPNETCORE_URLS was used
            Assert.DoesNotContain("localhost:5000", portal.Output);
            var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@ops.test");
            using var client = portal.CreateClient(account.CookieHeader);

            // An upload that sends 8 MB, then stalls: the portal has a staging file when it is killed.
            using var stall = new CancellationTokenSource();
            var body = new StallingContent(8 << 20, stall.Token);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var upload = client.PostAsync("/api/downstream/datasets?name=cut&file=cut.zip", body, stall.Token);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(Directory.Exists(downstream) && Directory.GetFiles(downstream, ".upload-*").Any(f => new FileInfo(f).Length > 0)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no staging file appeared\n{portal.Output}");
                await Task.Delay(100);
            }
            portal.Kill();
            await stall.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
        }
        Assert.NotEmpty(Directory.GetFiles(downstream, ".upload-*")); // what the finding saw: left behind

        using (var portal = TestPortalProcess.Create(temp.Path, urlsFromEnvironment: true))
        {
            await portal.StartAsync();
            Assert.Empty(Directory.GetFileSystemEntries(downstream));
            Assert.Contains("Removed abandoned staging", portal.Output);
        }
    }

    /// <summary>Sends <paramref name="bytes"/> zero bytes, then waits until cancelled (a client cut off mid-upload).</summary>
    private sealed class StallingContent(int bytes, CancellationToken stall) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[bytes], stall);
            await stream.FlushAsync(stall);
            await Task.Delay(Timeout.Infinite, stall);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
