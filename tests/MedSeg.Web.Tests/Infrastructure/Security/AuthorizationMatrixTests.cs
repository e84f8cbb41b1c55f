using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using MedSeg.Testing;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Features.Downstream;

namespace MedSeg.Web.Tests.Infrastructure.Security;

/// <summary>
/// Findings 2, 7 and 9: every API endpoint and hub method × {anonymous, viewer, member, PI, other lab's PI, site
/// administrator}, against the real app with two labs made through invitations (no first-to-register PI). The resources
/// belong to lab alpha and were made by its member. Every mismatch is collected, so one run shows the whole matrix.
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Who = ["anonymous", "viewer", "member", "PI", "other lab's PI", "site admin"];
    private readonly LabsPortalFactory factory = new();
    private readonly TempDirectory temp = new("medseg-matrix");
    private TwoLabs labs = default!;
    private PortalUser member = default!;
    private int datasetId, runId, fineTuneId, externalId;
    private const string Downstream = "downstream/alpha-phantom";

    public async Task InitializeAsync()
    {
        labs = await TwoLabs.CreateAsync(factory);
        member = await DatasetTestHelpers.PortalUserAsync(factory, labs.AlphaMember.Email);
        Assert.Equal("alpha", member.LabId);
        var dataset = await DatasetTestHelpers.CreateAsync(factory, member, "alpha data", 1);
        await DatasetTestHelpers.WaitForCompletionAsync(factory, dataset.Id);
        datasetId = dataset.Id;
        runId = (await RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("alpha run", 3))).Id;
        using (var client = labs.AlphaMember.CreateClient(factory))
        {
            var response = await UploadAsync(client, "alpha-phantom");
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        using (var client = labs.AlphaMember.CreateClient(factory))
        {
            var external = await client.PostAsJsonAsync("/api/ingest/runs", new { name = "alpha external", model = "SwinUNETR", totalSteps = 100 });
            Assert.True(external.StatusCode == HttpStatusCode.Created, await external.Content.ReadAsStringAsync());
            externalId = (await external.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        }
        fineTuneId = (await RunTestHelpers.WithServiceAsync(factory,
            s => s.QueueDownstreamAsync(null, Downstream, false, member, DownstreamPhantom.Template(), runId))).Id;
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task EveryEndpointAndHubMethod_ForEveryRole_AnswersAsTheLabRulesSay()
    {
        int[] read = [401, 200, 200, 200, 404, 404];
        int[] control = [401, 403, 204, 204, 404, 404];
        var failures = new List<string>();
        var spare = await TwoLabs.InviteAsync(factory, labs.AlphaPI, "spare@alpha.test", "Member", null);
        var gone = await TwoLabs.InviteAsync(factory, labs.AlphaPI, "gone@alpha.test", "Member", null);
        var spareId = (await DatasetTestHelpers.PortalUserAsync(factory, spare.Email)).Id;
        var goneId = (await DatasetTestHelpers.PortalUserAsync(factory, gone.Email)).Id;

        var cases = new List<(string Name, int[] Expected, Func<HttpClient, int, Task<HttpResponseMessage>> Send)>
        {
            ($"GET /api/datasets/{datasetId}/volumes/0/image", read, (c, _) => c.GetAsync($"/api/datasets/{datasetId}/volumes/0/image")),
            ($"GET /api/datasets/{datasetId}/volumes/0/label", read, (c, _) => c.GetAsync($"/api/datasets/{datasetId}/volumes/0/label")),
            ($"GET /api/datasets/{datasetId}/volumes/0/image.nii.gz", read, (c, _) => c.GetAsync($"/api/datasets/{datasetId}/volumes/0/image.nii.gz")),
            ($"GET /api/datasets/{datasetId}/volumes/0/label.nii.gz", read, (c, _) => c.GetAsync($"/api/datasets/{datasetId}/volumes/0/label.nii.gz")),
            ($"GET /api/datasets/{datasetId}/download", read, (c, _) => c.GetAsync($"/api/datasets/{datasetId}/download")),
            ($"GET /api/runs/{runId}", read, (c, _) => c.GetAsync($"/api/runs/{runId}")),
            ($"GET /api/runs/{runId}/metrics", read, (c, _) => c.GetAsync($"/api/runs/{runId}/metrics?after=0")),
            ($"GET /api/runs/{runId}/events", read, (c, _) => c.GetAsync($"/api/runs/{runId}/events")),
            ($"GET /api/runs/{fineTuneId}/predictions", read, (c, _) => c.GetAsync($"/api/runs/{fineTuneId}/predictions")),
            ("GET /api/runs/export.csv", [401, 200, 200, 200, 200, 200], (c, _) => c.GetAsync("/api/runs/export.csv")),
            ("GET /api/downstream/datasets", [401, 200, 200, 200, 200, 200], (c, _) => c.GetAsync("/api/downstream/datasets")),
            ("POST /api/runs (on-the-fly spec)", [401, 403, 201, 201, 201, 201], (c, _) => c.PostAsJsonAsync("/api/runs", TinyRun(null))),
            ($"POST /api/runs (alpha dataset {datasetId})", [401, 403, 201, 201, 400, 400], (c, _) => c.PostAsJsonAsync("/api/runs", TinyRun(datasetId))),
            ("POST /api/runs/{fresh}/cancel", control, async (c, _) => await c.PostAsync($"/api/runs/{await FreshRunAsync(false)}/cancel", null)),
            ("POST /api/runs/{fresh}/pause", control, async (c, _) => await c.PostAsync($"/api/runs/{await FreshRunAsync(false)}/pause", null)),
            ("POST /api/runs/{paused}/resume", control, async (c, _) => await c.PostAsync($"/api/runs/{await FreshRunAsync(true)}/resume", null)),
            ("POST /api/downstream/datasets", [401, 403, 201, 201, 201, 201], (c, i) => UploadAsync(c, $"upload-{i}")),
            ("GET /api/lab/members", [401, 403, 403, 200, 200, 200], (c, _) => c.GetAsync("/api/lab/members")),
            ("GET /api/audit", [401, 403, 403, 200, 200, 200], (c, _) => c.GetAsync("/api/audit")),
            ("GET /api/audit/export.csv", [401, 403, 403, 200, 200, 200], (c, _) => c.GetAsync("/api/audit/export.csv")),
            ("GET /api/tokens", [401, 200, 200, 200, 200, 200], (c, _) => c.GetAsync("/api/tokens")),
            ("POST /api/tokens", [401, 201, 201, 201, 201, 201], (c, _) => c.PostAsJsonAsync("/api/tokens", new { name = "matrix" })),
            ("POST /api/ingest/runs", [401, 403, 201, 201, 201, 201],
                (c, _) => c.PostAsJsonAsync("/api/ingest/runs", new { name = "ext", model = "UNETR", totalSteps = 10 })),
            ($"POST /api/ingest/runs/{externalId}/steps", [401, 403, 200, 200, 404, 404],
                (c, i) => c.PostAsJsonAsync($"/api/ingest/runs/{externalId}/steps", new[] { new { step = i + 1, loss = 0.5 } })),
            ($"POST /api/ingest/runs/{runId}/steps (not external)", [401, 403, 409, 409, 404, 404],
                (c, i) => c.PostAsJsonAsync($"/api/ingest/runs/{runId}/steps", new[] { new { step = i + 1, loss = 0.5 } })),
            ("POST /api/lab/invitations (alpha)", [401, 403, 403, 200, 403, 200],
                (c, i) => c.PostAsJsonAsync("/api/lab/invitations", new { email = $"new{i}@alpha.test", role = "Member", lab = "alpha" })),
            ("PUT /api/lab/members/{spare}/role", [401, 403, 403, 204, 404, 404],
                (c, _) => c.PutAsJsonAsync($"/api/lab/members/{spareId}/role", new { role = "Viewer" })),
            ("DELETE /api/lab/members/{gone}", [401, 403, 403, 204, 404, 404], (c, _) => c.DeleteAsync($"/api/lab/members/{goneId}")),
        };

        SignedInUser?[] principals = [null, labs.AlphaViewer, labs.AlphaMember, labs.AlphaPI, labs.BetaPI, labs.Admin];
        foreach (var (name, expected, send) in cases)
            for (int i = 0; i < principals.Length; i++)
            {
                using var client = principals[i]?.CreateClient(factory) ?? Anonymous();
                using var response = await send(client, i);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != expected[i])
                    failures.Add($"{name} as {Who[i]}: {(int)response.StatusCode}, expected {expected[i]} ({Excerpt(body)})");
                else if (response.StatusCode >= HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{name} as {Who[i]}: {(int)response.StatusCode} as {response.Content.Headers.ContentType}, not ProblemDetails");
            }

        // Lists show only the caller's lab.
        for (int i = 1; i < principals.Length; i++)
        {
            bool alpha = i <= 3;
            using var client = principals[i]!.CreateClient(factory);
            if ((await client.GetStringAsync("/api/runs/export.csv")).Contains("alpha run") != alpha) failures.Add($"export.csv as {Who[i]} {(alpha ? "lacks" : "shows")} alpha's run");
            if ((await client.GetStringAsync("/api/downstream/datasets")).Contains(Downstream) != alpha) failures.Add($"downstream list as {Who[i]} {(alpha ? "lacks" : "shows")} alpha's dataset");
        }
        using (var betaClient = labs.BetaPI.CreateClient(factory))
        {
            if ((await betaClient.GetStringAsync("/api/lab/members")).Contains("alpha.test")) failures.Add("beta's PI lists alpha's members");
            if ((await betaClient.GetStringAsync("/api/audit")).Contains("alpha external")) failures.Add("beta's PI reads alpha's audit log");
        }
        using (var alphaClient = labs.AlphaPI.CreateClient(factory))
            if (!(await alphaClient.GetStringAsync("/api/audit")).Contains("alpha external")) failures.Add("alpha's PI misses the ingest in the audit log");
        using (var adminClient = labs.Admin.CreateClient(factory))
            if (!(await adminClient.GetStringAsync("/api/audit")).Contains("alpha external")) failures.Add("the site admin misses alpha's audit entries");

        // Hub methods: readers get the state, other labs null, anonymous cannot connect.
        for (int i = 0; i < principals.Length; i++)
        {
            bool reads = i is >= 1 and <= 3;
            if (principals[i] is not { } who)
            {
                var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(RunsHub.Path, null));
                if (!refused.Message.Contains("401")) failures.Add($"anonymous hub connection: {refused.Message}");
                continue;
            }
            await using (var runs = await ConnectAsync(RunsHub.Path, who.CookieHeader))
                if ((await runs.InvokeAsync<RunSubscription?>("Subscribe", runId, 0L) is not null) != reads)
                    failures.Add($"RunsHub.Subscribe({runId}) as {Who[i]}: expected {(reads ? "the run" : "null")}");
            await using (var datasets = await ConnectAsync(DatasetsHub.Path, who.CookieHeader))
                if ((await datasets.InvokeAsync<DatasetProgress?>("Subscribe", datasetId) is not null) != reads)
                    failures.Add($"DatasetsHub.Subscribe({datasetId}) as {Who[i]}: expected {(reads ? "the dataset" : "null")}");
        }

        output.WriteLine($"{cases.Count} endpoints × {principals.Length} principals + lists + 2 hub methods; {failures.Count} mismatches");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private HttpClient Anonymous()
    {
        var client = TwoLabs.NewClient(factory);
        client.DefaultRequestHeaders.Add(CrossSiteRequestGuard.HeaderName, "1"); // so the answer is about authentication
        return client;
    }

    private static object TinyRun(int? dataset) => new
    {
        name = "matrix run",
        config = JsonDocument.Parse(RunTestHelpers.TinyConfig(3)).RootElement,
        datasetId = dataset,
        spec = dataset is null ? JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement : (JsonElement?)null,
    };

    /// <summary>A new queued (or paused) run of alpha's member, so each principal acts on an untouched run.</summary>
    private async Task<int> FreshRunAsync(bool paused)
    {
        var run = await RunTestHelpers.CreateAsync(factory, member, RunTestHelpers.TinyRequest("fresh", 3));
        if (paused) Assert.True(await RunTestHelpers.WithServiceAsync(factory, s => s.PauseAsync(member, run.Id)));
        return run.Id;
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name)
    {
        var zip = Path.Combine(temp.Path, "phantom.zip");
        if (!File.Exists(zip))
        {
            var raw = Path.Combine(temp.Path, "raw");
            PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [32, 32, 12] }, seed: 5, trainCount: 6, raw);
            ZipFile.CreateFromDirectory(raw, zip);
        }
        await using var stream = File.OpenRead(zip);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync($"/api/downstream/datasets?name={name}&file=phantom.zip&val=0.2&test=0.2", content);
    }

    private async Task<HubConnection> ConnectAsync(string path, string? cookie)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, path.TrimStart('/')), options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                if (cookie is not null) options.Headers["Cookie"] = cookie;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static string Excerpt(string body) => body.Length > 200 ? body[..200] : body;
}
