using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Tests.Features.Downstream;
using MedSeg.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace MedSeg.Web.Tests.Features.Benchmarks;

/// <summary>
/// Issue 16: importing a safetensors file as pretrained weights for a protocol in the portal (<see cref="WeightsImport"/>,
/// <c>POST /api/benchmarks/{id}/weights</c>). A file made from the protocol's own network is kept and reported key by key;
/// a file of another network (strict key check), bytes that are not safetensors, a file over the limit, a bad or taken
/// name are refused with a message naming the field, and leave no file behind; viewers get 403, another lab 404; the
/// imported file then runs as a protocol row like a CLI <c>safetensors:FILE</c>.
/// </summary>
public sealed class WeightsImportTests : IAsyncLifetime
{
    private const long Limit = 2 << 20; // above the wider network's file (≈ 0.3 MB)

    private sealed class Factory : LabsPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Limits:MaxWeightsUploadBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private readonly Factory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private const string Features = "(4, 4, 8, 8, 16, 4)";

    private static string Protocol(bool encoderOnly) => $$"""
        { "name": "weights-{{encoderOnly}}", "datasets": ["downstream/alpha-phantom"], "budgets": [1], "seeds": [1, 2, 3],
          "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "{{Features}}" }, "patchSize": 32, "steps": 2, "encoderOnly": {{(encoderOnly ? "true" : "false")}} },
          "metrics": ["dice"] }
        """;

    /// <summary>A BasicUNet's state dict as safetensors bytes (random init), with <paramref name="features"/> and <paramref name="classes"/>.</summary>
    private static byte[] Weights(string features, int classes)
    {
        var choice = ModelChoice.For("BasicUNet", 12, 32, classes, new Dictionary<string, string> { ["features"] = features });
        using var module = ModelFactory.Create(choice.Name, choice.Args);
        var file = Path.GetTempFileName();
        try
        {
            StateDictLoader.Save(module, file);
            return File.ReadAllBytes(file);
        }
        finally { File.Delete(file); }
    }

    private static async Task<(HttpStatusCode Status, string Body)> UploadAsync(HttpClient client, int protocol, string name, byte[] bytes)
    {
        var response = await client.PostAsync($"/api/benchmarks/{protocol}/weights?name={Uri.EscapeDataString(name)}", new ByteArrayContent(bytes));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_is_checked_as_safetensors_and_against_the_protocols_network_before_it_is_kept()
    {
        var labs = await TwoLabs.CreateAsync(factory);
        DownstreamPhantom.Create(factory.DataRoot, "alpha-phantom");
        var dataset = Path.Combine(factory.DataRoot, DownstreamDatasets.Folder, "alpha-phantom");
        File.WriteAllText(Path.Combine(dataset, DownstreamDatasets.LabFile), "alpha");
        var classes = DownstreamDatasets.Labels(dataset).Count;
        using var member = labs.AlphaMember.CreateClient(factory);
        using var viewer = labs.AlphaViewer.CreateClient(factory);
        using var other = labs.BetaPI.CreateClient(factory);
        var whole = await SaveAsync(member, Protocol(encoderOnly: false));
        var encoder = await SaveAsync(member, Protocol(encoderOnly: true));
        var folder = Path.Combine(factory.DataRoot, ImportedWeights.Folder, "alpha");
        string[] Kept() => Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order()!] : [];

        // The protocol's own network: kept, every key loaded.
        var good = Weights(Features, classes);
        var (status, body) = await UploadAsync(member, whole, "ssl-basic", good);
        Assert.True(status == HttpStatusCode.Created, body);
        var check = JsonSerializer.Deserialize<WeightsCheck>(body, JsonSerializerOptions.Web)!;
        Assert.Equal("weights/alpha/ssl-basic.safetensors", check.File);
        Assert.True(check.Loaded > 10, body);
        Assert.Empty(check.Missing);
        Assert.Empty(check.ShapeMismatches);
        Assert.Equal(["ssl-basic.safetensors"], Kept());

        // Another class count: whole-network init keeps the head as initialised and says so.
        (status, body) = await UploadAsync(member, whole, "other-head", Weights(Features, classes + 2));
        Assert.True(status == HttpStatusCode.Created, body);
        Assert.NotEmpty(JsonSerializer.Deserialize<WeightsCheck>(body, JsonSerializerOptions.Web)!.ShapeMismatches);

        // Another network: refused with the key report, for whole network and encoder only; nothing kept.
        var wider = Weights("(8, 8, 16, 16, 32, 8)", classes);
        (status, body) = await UploadAsync(member, whole, "wider", wider);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("do not fit the protocol's network BasicUNet", body);
        (status, body) = await UploadAsync(member, encoder, "wider", wider);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("BasicUNet (encoder only)", body);
        Assert.Contains("shape mismatches", body);

        // Not safetensors, over the limit, bad or taken name: each named, nothing kept (no staging file either).
        (status, body) = await UploadAsync(member, whole, "garbage", "PK\u0003\u0004 not a safetensors file"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("File: not a safetensors file", body);
        Assert.DoesNotContain(factory.DataRoot, body);
        (status, body) = await UploadAsync(member, whole, "huge", new byte[Limit + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains($"limit of {Limit:N0} bytes (Limits:MaxWeightsUploadBytes)", body);
        (status, body) = await UploadAsync(member, whole, "../escape", good);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Name: letters, digits", body);
        (status, body) = await UploadAsync(member, whole, "ssl-basic", good);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("Name: 'ssl-basic' is already imported", body);
        Assert.Equal(["other-head.safetensors", "ssl-basic.safetensors"], Kept());

        // Viewers read only; another lab does not see the protocol.
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(viewer, whole, "v", good)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(other, whole, "b", good)).Status);
        Assert.Equal(["other-head.safetensors", "ssl-basic.safetensors"], Kept());

        // The imported file is a protocol row: scratch + it × 1 budget × 3 seeds = 6 cells.
        var run = await member.PostAsJsonAsync($"/api/benchmarks/{whole}/run", new { scratch = true, weights = new[] { check.File } });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(new BenchmarkLaunch(6, 0), await run.Content.ReadFromJsonAsync<BenchmarkLaunch>());
    }

    private static async Task<int> SaveAsync(HttpClient client, string protocol)
    {
        var saved = await client.PostAsync("/api/benchmarks", new StringContent(protocol));
        Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
    }
}
