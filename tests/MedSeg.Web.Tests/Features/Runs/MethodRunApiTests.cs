using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Catalogue methods queued through <c>POST /api/runs</c> (method + that method's options) and trained by the portal's
/// own training service: real tiny CPU runs of Volume Fusion and 2.5D context features on an imported downstream dataset.
/// </summary>
public sealed class MethodRunApiTests
{
    /// <summary>A tiny PCT-Net on 16×32×32 fused samples (as the Training tests' tiny run).</summary>
    internal static object TinyVolf(int steps) => new
    {
        volf = new { size = new[] { 16, 32, 32 }, boxCountMin = 3, boxCountMax = 8, boxSizeMin = new[] { 2, 4, 4 }, boxSizeMax = new[] { 10, 20, 20 } },
        modelArgs = new Dictionary<string, string> { ["feature_chns"] = "[4, 4, 8, 8, 8]", ["num_heads"] = "[1, 1, 1]", ["window_sizes"] = "[4, 2, 2]" },
        batchSize = 2, steps, seed = 3, checkpointEvery = 3, validationEvery = steps, validationSamples = 2, torchThreads = 1, loaderWorkers = 1,
    };

    internal static object TinyContext(int steps) => new { task = "Heatmap", steps, batchSize = 2, learningRate = 1e-3, checkpointEvery = 2, torchThreads = 1, seed = 4 };

    [Fact]
    public async Task Volf_and_context_runs_queued_through_the_API_train_to_completion_and_clone_keeps_their_options()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@method-runs.test");
        using var client = account.CreateClient(factory);
        var downstream = DownstreamPhantom.Create(factory.DataRoot);

        var volf = await PostAsync(client, new { name = "volf tiny", method = "volf", config = TinyVolf(6), downstream });
        var context = await PostAsync(client, new { name = "context tiny", method = "context", config = TinyContext(4), downstream });
        Assert.Equal(("volf", "PCTNet", 6L), (volf.Method, volf.ModelName, volf.TotalSteps));
        Assert.Equal(("context", 4L), (context.Method, context.TotalSteps));

        foreach (var (id, steps) in new[] { (volf.Id, 6L), (context.Id, 4L) })
        {
            var done = await RunTestHelpers.WaitForAsync(factory, id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed,
                TimeSpan.FromMinutes(4));
            Assert.True(done.Status == TrainingRunStatus.Completed, $"run {id}: {done.Status} {done.ErrorText}");
            Assert.Equal(steps, done.CurrentStep);
            RunTestHelpers.AssertContiguous(await RunTestHelpers.StepsAsync(factory, id), steps);
            Assert.NotNull(done.LastCheckpointPath);
        }
        var volfDone = await RunTestHelpers.WaitForAsync(factory, volf.Id, _ => true);
        Assert.NotNull(volfDone.BestValDice); // validation on fused samples, Dice per fusion class

        // The stored options are the method's record with every field (defaults included), the downstream folder relative.
        using (var stored = JsonDocument.Parse(volfDone.ConfigJson))
        {
            Assert.Equal(downstream, stored.RootElement.GetProperty("sourceDir").GetString());
            Assert.Equal(5, stored.RootElement.GetProperty("volf").GetProperty("classes").GetInt32()); // a default, written out
            Assert.False(stored.RootElement.TryGetProperty("outputDir", out _));
        }

        // Clone keeps method, options and data; the clone trains like the original.
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var clone = await RunTestHelpers.WithServiceAsync(factory, s => s.CloneAsync(user, volf.Id));
        Assert.NotNull(clone);
        Assert.Equal((volfDone.Method, volfDone.ModelName, volfDone.ConfigJson, volfDone.DatasetId, volfDone.TotalSteps),
            (clone.Method, clone.ModelName, clone.ConfigJson, clone.DatasetId, clone.TotalSteps));
        Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.CancelAsync(user, clone.Id)));
    }

    /// <summary>A tiny UNETR (hidden 24) on 32³ crops cut into 2 chunks (as the Training tests' tiny LWI run).</summary>
    internal static object TinyLwi(int steps) => new
    {
        crop = 32, chunks = 2, featureSize = 4, batchSize = 2, steps, warmupSteps = 1, learningRate = 1e-3, checkpointEvery = steps,
        torchThreads = 1, loaderWorkers = 1,
        modelArgs = new Dictionary<string, string> { ["hidden_size"] = "24", ["mlp_dim"] = "48", ["num_heads"] = "2" },
    };

    [Fact]
    public async Task An_LWI_run_stores_and_serves_each_loss_term_per_step()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@method-terms.test");
        using var client = account.CreateClient(factory);
        var downstream = DownstreamPhantom.Create(factory.DataRoot, size: [40, 40, 36]); // LWI crops 32³

        var lwi = await PostAsync(client, new { name = "lwi tiny", method = "lwi", config = TinyLwi(3), downstream });
        var done = await RunTestHelpers.WaitForAsync(factory, lwi.Id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed,
            TimeSpan.FromMinutes(4));
        Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status} {done.ErrorText}");

        // The catch-up answer (the hub's Subscribe and GET metrics read the same rows) carries each term of each step.
        var metrics = (await client.GetFromJsonAsync<RunSubscription>($"api/runs/{lwi.Id}/metrics?after=0", RunApiPolling.Json))!;
        Assert.Equal([1L, 2L, 3L], metrics.Points.Select(p => p.Step));
        foreach (var p in metrics.Points)
        {
            Assert.NotNull(p.Terms);
            Assert.Equal(["loss_order", "loss_rec"], p.Terms.Keys.Order());
            // Total = 1 · L_rec + 1 · L_order (the paper's weights), as float32 sums.
            var sum = p.Terms["loss_rec"] + p.Terms["loss_order"];
            Assert.True(Math.Abs(p.Loss - sum) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"step {p.Step}: loss {p.Loss} ≠ {sum}");
        }
        // The run page's series: one curve per term beside the total.
        var series = new MedSeg.Web.Features.Runs.Components.RunSeries();
        series.AddRange(metrics.Points);
        Assert.Equal(["loss_rec", "loss_order"], series.Terms.Keys.Order().Reverse());
        Assert.Equal([1.0, 2.0, 3.0], series.Terms["loss_rec"].Steps);
    }

    [Fact]
    public async Task Bad_method_requests_are_refused_naming_field_value_and_limit_and_leave_no_row()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@method-refusals.test");
        using var client = account.CreateClient(factory);
        var downstream = DownstreamPhantom.Create(factory.DataRoot);

        await AssertRefusedAsync(client, new { name = "x", method = "nope", config = new { } }, "Method: 'nope' is unknown", "volf");
        await AssertRefusedAsync(client, new { name = "x", method = "volf", config = new { batchSize = 0, phantomCount = 2 } },
            "batchSize (--batch) must be in 1..64, got 0");
        await AssertRefusedAsync(client, new { name = "x", method = "volf", config = new { stepz = 3 }, downstream }, "stepz");
        await AssertRefusedAsync(client, new { name = "x", method = "context", config = TinyContext(2), downstream = "downstream/missing" },
            "Downstream: 'downstream/missing' is not a dataset of your lab");
        await AssertRefusedAsync(client, new { name = "x", method = "context", config = TinyContext(2) }, "Source:");
        await AssertRefusedAsync(client, new { name = "x", method = "context", config = new { steps = 2_000_000 }, downstream },
            "2000000 steps exceed the server's limit of 1000000 (Limits:MaxSteps)");
        await AssertRefusedAsync(client, new { name = "x", method = "volf", config = new { phantomCount = 2, volf = new { size = new[] { 16, 32, 320 } } } },
            "Size 320 is above the server's limit of 256 (Limits:MaxCrop)");
        // A user never names a server folder: a path in the options is replaced by the chosen data (here: none).
        await AssertRefusedAsync(client, new { name = "x", method = "context", config = new { source = "/etc", steps = 2 } }, "Source:");

        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.TrainingRuns.CountAsync());
    }

    internal static async Task<RunApi.RunSummary> PostAsync(HttpClient client, object body)
    {
        var created = await client.PostAsJsonAsync("api/runs", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        return (await created.Content.ReadFromJsonAsync<RunApi.RunSummary>(RunApiPolling.Json))!;
    }

    internal static async Task AssertRefusedAsync(HttpClient client, object body, params string[] expected)
    {
        var response = await client.PostAsJsonAsync("api/runs", body);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {raw}");
        using var problem = JsonDocument.Parse(raw);
        var text = string.Join("\n", problem.RootElement.GetProperty("errors").GetProperty("run").EnumerateArray().Select(e => e.GetString()));
        foreach (var e in expected) Assert.Contains(e, text);
    }
}
