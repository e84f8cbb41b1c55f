using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Benchmarks;

/// <summary>
/// Protocols and their runs belong to one lab: another lab's users get 404 for every protocol URL and cannot name its
/// datasets; the lab's viewer reads but cannot save or run (403); a member runs it on scratch and an imported
/// safetensors file of the lab (another lab's file is refused), and a seed subset queues only those seeds' cells.
/// </summary>
public sealed class BenchmarkLabScopeTests : IAsyncLifetime
{
    private readonly LabsPortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private const string Protocol = """
        { "name": "scoped", "datasets": ["downstream/alpha-phantom"], "budgets": [1, 2], "seeds": [1, 2, 3],
          "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "(4, 4, 8, 8, 16, 4)" }, "patchSize": 32, "steps": 2 },
          "metrics": ["dice"] }
        """;

    [Fact]
    public async Task Other_labs_get_404_viewers_read_only_members_run_weights_and_seed_subsets()
    {
        var labs = await TwoLabs.CreateAsync(factory);
        DownstreamPhantom.Create(factory.DataRoot, "alpha-phantom");
        File.WriteAllText(Path.Combine(factory.DataRoot, DownstreamDatasets.Folder, "alpha-phantom", DownstreamDatasets.LabFile), "alpha");
        var weights = Path.Combine(factory.DataRoot, ImportedWeights.Folder, "alpha");
        Directory.CreateDirectory(weights);
        File.WriteAllBytes(Path.Combine(weights, "ssl-encoder.safetensors"), [8, 0, 0, 0, 0, 0, 0, 0, .. "{}      "u8]);
        Directory.CreateDirectory(Path.Combine(factory.DataRoot, ImportedWeights.Folder, "beta"));
        File.WriteAllBytes(Path.Combine(factory.DataRoot, ImportedWeights.Folder, "beta", "theirs.safetensors"), [0]);

        using var pi = labs.AlphaPI.CreateClient(factory);
        using var member = labs.AlphaMember.CreateClient(factory);
        using var viewer = labs.AlphaViewer.CreateClient(factory);
        using var other = labs.BetaPI.CreateClient(factory);

        // Beta cannot use alpha's dataset: it does not exist for them.
        var refused = await other.PostAsync("/api/benchmarks", new StringContent(Protocol));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Protocol.datasets[0]", await refused.Content.ReadAsStringAsync());

        var viewerSave = await viewer.PostAsync("/api/benchmarks", new StringContent(Protocol));
        Assert.Equal(HttpStatusCode.Forbidden, viewerSave.StatusCode);
        var saved = await pi.PostAsync("/api/benchmarks", new StringContent(Protocol));
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        int id = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        foreach (var url in new[] { $"/api/benchmarks/{id}", $"/api/benchmarks/{id}/export?format=csv", $"/api/benchmarks/{id}/export?format=html" })
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url)).StatusCode);
        Assert.Contains("\"items\":[],\"total\":0", await other.GetStringAsync("/api/benchmarks"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/benchmarks/{id}/run", new { scratch = true })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/benchmarks/{id}")).StatusCode);
        Assert.Contains("\"scoped\"", await viewer.GetStringAsync("/api/benchmarks"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/benchmarks/{id}/run", new { scratch = true })).StatusCode);

        // Another lab's weights file and a seed outside the protocol are named; nothing is queued.
        var bad = await member.PostAsJsonAsync($"/api/benchmarks/{id}/run",
            new { scratch = true, seeds = new[] { 1L, 7L }, weights = new[] { "weights/beta/theirs.safetensors" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Contains("weights/beta/theirs.safetensors", text);
        Assert.Contains("Seeds: 7", text);
        Assert.Contains("\"cells\":0", await pi.GetStringAsync($"/api/benchmarks/{id}"));

        // scratch + the lab's weights × 2 budgets × seeds 1, 2 = 8 cells; then seed 3 adds only 4.
        var run = await member.PostAsJsonAsync($"/api/benchmarks/{id}/run",
            new { scratch = true, seeds = new[] { 1L, 2L }, weights = new[] { "weights/alpha/ssl-encoder.safetensors" } });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(new BenchmarkLaunch(8, 0), await run.Content.ReadFromJsonAsync<BenchmarkLaunch>());
        var third = await member.PostAsJsonAsync($"/api/benchmarks/{id}/run",
            new { scratch = true, weights = new[] { "weights/alpha/ssl-encoder.safetensors" } });
        Assert.Equal(new BenchmarkLaunch(4, 8), await third.Content.ReadFromJsonAsync<BenchmarkLaunch>());
        var grid = await viewer.GetStringAsync($"/api/benchmarks/{id}");
        Assert.Contains("\"cells\":12", grid);
        Assert.Contains("\"queued\":12", grid);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/benchmarks/{id}")).StatusCode);
    }
}
