using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>/api/runs over HTTP with a real sign-in cookie (the portal's trainer is off: rows stay as the API left them).</summary>
public sealed class RunApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    [Fact]
    public async Task Post_Metrics_ExportCsv_RoundTrip_AndAnonymousIs401()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@runs-api.test");
        using var client = account.CreateClient(factory);

        var bad = await client.PostAsJsonAsync("api/runs", new { name = "bad", config = new { model = "BasicUNet", batchSize = 0, steps = 3 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("BatchSize (--batch) must be positive, got 0", problem);
        Assert.Contains("Data: choose a dataset", problem);

        var created = await client.PostAsJsonAsync("api/runs", new
        {
            name = "api, \"quoted\"",
            config = JsonDocument.Parse(RunTestHelpers.TinyConfig(3)).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
            tags = "smoke",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = (await created.Content.ReadFromJsonAsync<RunApi.RunSummary>(Json))!;
        Assert.Equal(TrainingRunStatus.Queued, run.Status);
        Assert.Equal(3, run.TotalSteps);

        // Steps as the trainer would report them, some flushed to the database and some still buffered.
        var buffer = factory.Services.GetRequiredService<RunLiveBuffer>();
        buffer.BeginRun(run.Id, 0, 3, null, null, null);
        buffer.Report(run.Id, new RunStepPoint(1, DateTime.UtcNow, 0.9, 1e-3, 5, 0.1, 100), 3, 2);
        buffer.Report(run.Id, new RunStepPoint(2, DateTime.UtcNow, 0.8, 1e-3, 5, 0.1, 100, 0.5, [0.9, 0.5]), 3, 1);
        await factory.Services.GetRequiredService<RunMetricsWriter>().FlushAsync(run.Id);
        buffer.Report(run.Id, new RunStepPoint(3, DateTime.UtcNow, 0.7, 1e-3, 5, 0.1, 100), 3, 0);
        var metrics = (await client.GetFromJsonAsync<RunSubscription>($"api/runs/{run.Id}/metrics?after=1", Json))!;
        Assert.Equal([2L, 3L], metrics.Points.Select(p => p.Step));
        Assert.Equal([0.9, 0.5], metrics.Points[0].ValDicePerClass);

        var csv = await client.GetStringAsync("api/runs/export.csv");
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("id,name,method,model,status", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"api, \"\"quoted\"\"\"", lines[1]);
        Assert.Contains(",0.5,", lines[1]); // best validation Dice of the flushed step

        // ?ids= exports exactly those runs in that order (unknown ids and other labs' runs are left out).
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        var second = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("second", 3));
        var chosen = (await client.GetStringAsync($"api/runs/export.csv?ids={second.Id},999,{run.Id}")).TrimEnd('\n').Split('\n');
        Assert.Equal([second.Id.ToString(), run.Id.ToString()], chosen.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(2, (await client.GetStringAsync($"api/runs/export.csv?ids={second.Id}")).TrimEnd('\n').Split('\n').Length);

        // ?rankBy= exports the leaderboard: rank and that metric's column first, ranks following the scores, unscored runs out.
        var third = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("third", 3));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync())
        {
            await db.TrainingRuns.Where(r => r.Id == third.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.BestValDice, 0.75));
        }
        var board = (await client.GetStringAsync("api/runs/export.csv?rankBy=best_val_dice")).TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToList();
        Assert.Equal(["rank", "best_val_dice", .. RunCsv.Header.Split(',')], board[0]);
        Assert.Equal([third.Id.ToString(), run.Id.ToString()], board.Skip(1).Select(r => r[2])); // "second" has no score
        Assert.Equal(["1", "2"], board.Skip(1).Select(r => r[0]));
        Assert.Equal(["0.75", "0.5"], board.Skip(1).Select(r => r[1]));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/runs/export.csv?rankBy=accuracy")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"api/runs/{run.Id}/pause", null)).StatusCode);

        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/runs/{run.Id}/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/runs/export.csv")).StatusCode);
    }
}
