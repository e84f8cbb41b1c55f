using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Support;

/// <summary>Reading runs over a portal process's HTTP API: JSON as the API writes it (enums by name), and polling a run.</summary>
public static class RunApiPolling
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Queues a tiny on-the-fly run (<see cref="RunTestHelpers.TinyConfig"/>) with <c>POST api/runs</c>; returns its id.</summary>
    public static async Task<int> QueueTinyRunAsync(HttpClient client, string name, int steps, int checkpointEvery)
    {
        var body = new
        {
            name,
            config = JsonDocument.Parse(RunTestHelpers.TinyConfig(steps, checkpointEvery)).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        };
        var created = await client.PostAsJsonAsync("api/runs", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        return (await created.Content.ReadFromJsonAsync<RunApi.RunSummary>(Json))!.Id;
    }

    /// <summary>Polls <c>GET api/runs/{id}</c> until <paramref name="done"/> holds; fails with the run and the process's output after 120 s.</summary>
    public static async Task<RunApi.RunSummary> PollAsync(HttpClient client, int id, Func<RunApi.RunSummary, bool> done, PortalProcess portal)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        RunApi.RunSummary? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await client.GetFromJsonAsync<RunApi.RunSummary>($"api/runs/{id}", Json);
            if (run is not null && done(run)) return run;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {id} stayed {run?.Status} at {run?.CurrentStep} on {run?.WorkerName}: {run?.ErrorText}\n{portal.Output}");
    }
}
