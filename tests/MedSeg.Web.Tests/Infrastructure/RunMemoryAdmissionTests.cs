using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// Issue 11 "Admission limits": a run whose memory estimate (network, crop, batch, classes) exceeds
/// <c>Limits:MaxRunMemoryBytes</c> is refused where <c>POST /api/runs</c> enters, naming the estimate and the limit, and
/// leaves no run behind; one that fits is queued.
/// </summary>
public sealed class RunMemoryAdmissionTests
{
    private const long Limit = 512L << 20;

    private sealed class SmallServerFactory : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Training:Enabled", "false");
            builder.UseSetting("Limits:MaxRunMemoryBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, JsonObject config)
    {
        var response = await client.PostAsJsonAsync("api/runs", new
        {
            name = "memory",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostRun_EstimatedAboveTheMemoryLimit_Is400NamingEstimateAndLimit_AndQueuesNothing()
    {
        await using var factory = new SmallServerFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@memory.test");
        using var client = account.CreateClient(factory);
        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(3))!.AsObject();
        config["modelArgs"] = new JsonObject { ["features"] = "(32, 32, 64, 128, 256, 32)" };
        config["crop"] = 96;
        config["batchSize"] = 8;

        var (status, body) = await PostAsync(client, config);

        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {body}");
        Assert.Contains("Memory: this run needs an estimated", body);
        Assert.Contains("more than the server's limit of 512 MiB (Limits:MaxRunMemoryBytes)", body);
        Assert.Contains("Lower BatchSize (8) or Crop (96)", body);
        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task PostRun_EstimatedWithinTheMemoryLimit_IsQueued()
    {
        await using var factory = new SmallServerFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@memory-fits.test");
        using var client = account.CreateClient(factory);

        var (status, body) = await PostAsync(client, JsonNode.Parse(RunTestHelpers.TinyConfig(3))!.AsObject());

        Assert.True(status == HttpStatusCode.Created, $"{status}: {body}");
    }

    /// <summary>
    /// The gap issue 11 left: catalogue methods were never estimated. A Volume Fusion run with the released PCT-Net on the
    /// paper's 64×128×128 sub-volume (about 22 GiB at batch 2) is refused naming volf.size; a tiny one is queued.
    /// </summary>
    [Fact]
    public async Task PostVolfRun_PctNetAtAHugeSubVolume_Is400NamingEstimateLimitAndVolfSize_AndQueuesNothing()
    {
        await using var factory = new SmallServerFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@volf-memory.test");
        using var client = account.CreateClient(factory);

        var huge = await client.PostAsJsonAsync("api/runs", new
        {
            name = "volf huge", method = "volf", config = new { phantomCount = 2, batchSize = 2, volf = new { size = new[] { 64, 128, 128 } } },
        });
        var body = await huge.Content.ReadAsStringAsync();
        Assert.True(huge.StatusCode == HttpStatusCode.BadRequest, $"{huge.StatusCode}: {body}");
        Assert.Contains("Memory: this run needs an estimated", body);
        Assert.Contains("more than the server's limit of 512 MiB (Limits:MaxRunMemoryBytes)", body);
        Assert.Contains("Lower BatchSize (2) or volf.size (64×128×128)", body);
        await using (var db = await factory.Db.CreateDbContextAsync())
            Assert.Equal(0, await db.TrainingRuns.CountAsync());

        var tiny = await client.PostAsJsonAsync("api/runs", new
        {
            name = "volf tiny", method = "volf",
            config = new
            {
                phantomCount = 2, batchSize = 1, steps = 2,
                volf = new { size = new[] { 16, 32, 32 }, boxSizeMin = new[] { 2, 4, 4 }, boxSizeMax = new[] { 10, 20, 20 } },
                modelArgs = new Dictionary<string, string> { ["feature_chns"] = "[4, 4, 8, 8, 8]", ["num_heads"] = "[1, 1, 1]", ["window_sizes"] = "[4, 2, 2]" },
            },
        });
        Assert.True(tiny.StatusCode == HttpStatusCode.Created, $"{tiny.StatusCode}: {await tiny.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public void Estimate_GrowsWithBatchCropAndWidth_AndCountsTheRealParameters()
    {
        RunMemoryEstimate Of(int batch, int crop, string features) => RunMemoryEstimator.Estimate(RunMemoryRequest.For(
            new FdslOptions { Model = "BasicUNet", Crop = crop, BatchSize = batch, ModelArgs = new() { ["features"] = features } }, 17))!;
        var small = Of(1, 32, "(4, 4, 8, 8, 16, 4)");
        Assert.True(Of(2, 32, "(4, 4, 8, 8, 16, 4)").TotalBytes > small.TotalBytes);
        Assert.True(Of(1, 64, "(4, 4, 8, 8, 16, 4)").TotalBytes > small.TotalBytes);
        Assert.True(Of(1, 32, "(8, 8, 16, 16, 32, 8)").TotalBytes > small.TotalBytes);
        Assert.True(small.Parameters > 1000);
        Assert.Equal(small.Parameters * MemoryCalibration.BytesPerParameter, small.ParameterBytes);
        // A network without calibration gets no estimate (and therefore no refusal).
        Assert.Null(RunMemoryEstimator.Estimate(RunMemoryRequest.For(new FdslOptions { Model = "ConvNet", Crop = 32 }, 17)));
    }
}
