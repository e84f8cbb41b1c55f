using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// Finding 4 (and 1): every numeric run setting has an upper bound in the <c>Limits</c> section, checked where
/// <c>POST /api/runs</c> enters; the refusal names the field, the value and the setting, and leaves no run behind.
/// </summary>
public sealed class AdmissionLimitsTests
{
    public static TheoryData<string, long, string> OverLimit => new()
    {
        { "torchThreads", 1_000_000, "TorchThreads 1000000 is above the server's limit of" },
        { "steps", 10_000_000, "10000000 steps exceed the server's limit of 1000000 (Limits:MaxSteps)" },
        { "batchSize", 1_000_000, "BatchSize 1000000 is above the server's limit of 64 (Limits:MaxBatchSize)" },
        { "crop", 4096, "Crop 4096 is above the server's limit of 256 (Limits:MaxCrop)" },
        { "samples", int.MaxValue, "Samples 2147483647 is above the server's limit of 1000000 (Limits:MaxSamples)" },
        { "featureSize", 100_000, "FeatureSize 100000 is above the server's limit of 512 (Limits:MaxNetworkWidth)" },
        { "keepLast", 1_000_000_000, "KeepLast 1000000000 is above the server's limit of 100 (Limits:MaxKeepLast)" },
        { "validationSamples", 1_000_000, "ValidationSamples 1000000 is above the server's limit of 1000 (Limits:MaxValidationSamples)" },
        { "loaderWorkers", 100_000, "LoaderWorkers 100000 is above the server's limit of 16 (Limits:MaxLoaderWorkers)" },
        { "prefetch", 100_000, "Prefetch 100000 is above the server's limit of 64 (Limits:MaxPrefetch)" },
    };

    [Theory]
    [MemberData(nameof(OverLimit))]
    public async Task PostRun_ValueOverItsLimit_Is400NamingFieldValueAndLimit_AndQueuesNothing(string field, long value, string expected)
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, $"pi-{field.ToLowerInvariant()}@limits.test");
        using var client = account.CreateClient(factory);
        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(3))!.AsObject();
        config[field] = value;

        var response = await client.PostAsJsonAsync("api/runs", new
        {
            name = "too big",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(expected, body);
        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task PostRun_NetworkWidthInsideModelArgs_IsBounded()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@widths.test");
        using var client = account.CreateClient(factory);
        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(3))!.AsObject();
        config["modelArgs"] = new JsonObject { ["features"] = "(4, 4, 8, 100000, 16, 4)" };

        var response = await client.PostAsJsonAsync("api/runs", new
        {
            name = "wide",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ModelArgs['features'] holds 100000, above the server's limit of 512 (Limits:MaxNetworkWidth)",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostRun_EpochsTimesSamples_CountAgainstMaxSteps_WithoutOverflow()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@epochs.test");
        using var client = account.CreateClient(factory);
        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(3))!.AsObject();
        config.Remove("steps");
        config["epochs"] = 10_000;
        config["samples"] = 1_000_000;

        var response = await client.PostAsJsonAsync("api/runs", new
        {
            name = "epochs",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10000000000 steps exceed the server's limit of 1000000 (Limits:MaxSteps)", await response.Content.ReadAsStringAsync());
    }
}
