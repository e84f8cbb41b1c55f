using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Data.Entities;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// Finding 1: <c>"torchThreads": 1000000</c> killed the portal process (stack overflow in libtorch's conv3d) when the run
/// started, and again on Resume. Against the real built portal as a child process: the request is refused at the door,
/// and a run that carries such a value anyway (an administrator raised the limit) trains with its threads clamped to
/// the cores, and the process stays up.
/// </summary>
public sealed class TorchThreadsCrashProcessTests
{
    [Fact]
    public async Task ThousandTorchThreads_AdmittedByARaisedLimit_AreClampedToTheCores_ThePortalStaysUp()
    {
        using var temp = new TempDirectory("medseg-threads");
        // A limit far above the cores, as a careless setting would be: only the clamp at run start stands between the
        // request and libtorch. The options record itself admits at most 1024 threads, so that is the value that gets in.
        using var portal = TestPortalProcess.Create(temp.Path, new Dictionary<string, string> { ["Limits:MaxTorchThreads"] = "2000000" });
        await portal.StartAsync();
        var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@threads.test");
        using var client = portal.CreateClient(account.CookieHeader);

        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(4, checkpointEvery: 2))!.AsObject();
        config["torchThreads"] = 1024;
        var created = await client.PostAsJsonAsync("api/runs", new
        {
            name = "a thousand threads",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var id = (await created.Content.ReadFromJsonAsync<RunApi.RunSummary>(RunApiPolling.Json))!.Id;

        var done = await RunApiPolling.PollAsync(client, id, r => r.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed, portal);
        Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status}: {done.ErrorText}");
        Assert.Equal(4, done.CurrentStep);

        // Still the same process, still answering.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Account/Login")).StatusCode);
    }

    [Fact]
    public async Task MillionTorchThreads_WithDefaultLimits_Is400NamingTheLimit_AndThePortalStaysUp()
    {
        using var temp = new TempDirectory("medseg-threads-door");
        using var portal = TestPortalProcess.Create(temp.Path);
        await portal.StartAsync();
        var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@threads-door.test");
        using var client = portal.CreateClient(account.CookieHeader);
        var config = JsonNode.Parse(RunTestHelpers.TinyConfig(4))!.AsObject();
        config["torchThreads"] = 1_000_000;

        var response = await client.PostAsJsonAsync("api/runs", new
        {
            name = "a million threads",
            config = JsonDocument.Parse(config.ToJsonString()).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"TorchThreads 1000000 is above the server's limit of {Environment.ProcessorCount} (Limits:MaxTorchThreads)",
            await response.Content.ReadAsStringAsync());
        var runs = await client.GetStringAsync("api/runs/export.csv");
        Assert.Single(runs.TrimEnd('\n').Split('\n')); // header only
    }
}
