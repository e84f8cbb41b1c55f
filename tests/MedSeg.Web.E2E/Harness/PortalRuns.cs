using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace MedSeg.Web.E2E.Harness;

/// <summary>Runs an E2E test needs as material (queued over the HTTP API with the page's cookies, not through the form).</summary>
public static class PortalRuns
{
    /// <summary>
    /// A 4-step FDSL run on on-the-fly 32³ AVS-DB samples, queued through the HTTP API with the page's cookies.
    /// <paramref name="configChanges"/> (a JSON object) overrides settings of the tiny config, e.g. validation.
    /// </summary>
    public static async Task<int> QueueTinyFdslAsync(IPage page, string work, string name, string? configChanges = null)
    {
        var folder = Path.Combine(work, $"avsdb-{name}");
        await MedSegCli.RunAsync(TimeSpan.FromMinutes(2), "generate", "avsdb", "--out", folder, "--count", "1", "--size", "32", "--seed", "1");
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "spec.json")))!;
        spec["shapesPerVolume"] = 6;
        var body = new JsonObject
        {
            ["name"] = name,
            ["config"] = JsonNode.Parse("""
                {"model":"BasicUNet","modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"samples":4,
                 "steps":4,"checkpointEvery":4,"keepLast":1,"validationEvery":0,"loaderWorkers":1,"prefetch":2,"torchThreads":1,
                 "learningRate":0.001,"device":"cpu","seed":1}
                """),
            ["spec"] = spec,
        };
        if (configChanges is not null)
            foreach (var (key, value) in JsonNode.Parse(configChanges)!.AsObject())
                body["config"]![key] = value?.DeepClone();
        var response = await page.APIRequest.PostAsync("/api/runs", new()
        {
            Data = body.ToJsonString(),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-MedSeg-Request"] = "1" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == 201, $"POST /api/runs answered {response.Status}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }
}
