using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Features.Account;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs.Tracking;

/// <summary>
/// Notes and checkpoints of a run through the HTTP API, with the accounts a site has (issue 12): the owner and the
/// lab's PI edit notes (audit-logged), a member who does not own the run and a viewer get 403, another lab 404; a
/// cookie PUT needs the CSRF header, a token PUT does not; notes past the limit are refused naming the length and the
/// limit, and leave the stored notes as they were. The checkpoint list carries each step's loss and validation Dice;
/// its safetensors download answers the lab only (another lab's PI gets 404), and names are never paths.
/// </summary>
public sealed class RunTrackingApiTests : IAsyncLifetime
{
    private readonly LabsPortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<TrainingRun> InsertRunAsync(string ownerEmail, string lab)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail);
        var run = new TrainingRun
        {
            Name = "tracked", ModelName = "BasicUNet", OwnerId = owner.Id, LabId = lab, Status = TrainingRunStatus.Completed,
            CreatedAt = DateTime.UtcNow, CurrentStep = 4, TotalSteps = 4, RunFolder = "pending",
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        run.RunFolder = DataPaths.RelativeRunPath(run.Id);
        for (var step = 1; step <= 4; step++)
            db.RunStepMetrics.Add(new RunStepMetric { RunId = run.Id, Step = step, At = DateTime.UtcNow, Loss = 1.0 / step, Lr = 1e-3, ValDice = step == 2 ? 0.25 : null });
        await db.SaveChangesAsync();
        return run;
    }

    private static StringContent Notes(string markdown) => new(JsonSerializer.Serialize(new { markdown }), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Notes_owner_and_PI_edit_others_read_or_get_refused_and_the_limit_is_named()
    {
        var labs = await TwoLabs.CreateAsync(factory);
        var run = await InsertRunAsync("member@alpha.test", "alpha");
        var other = await TwoLabs.InviteAsync(factory, labs.AlphaPI, "member2@alpha.test", "Member", null);
        using var owner = labs.AlphaMember.CreateClient(factory);
        using var pi = labs.AlphaPI.CreateClient(factory);
        using var member = other.CreateClient(factory);
        using var viewer = labs.AlphaViewer.CreateClient(factory);
        using var beta = labs.BetaPI.CreateClient(factory);
        var url = $"/api/runs/{run.Id}/notes";

        var saved = await owner.PutAsync(url, Notes("**lr 1e-3** diverged <script>alert(1)</script>"));
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var view = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("<strong>lr 1e-3</strong>", view.GetProperty("html").GetString());
        Assert.Contains("&lt;script&gt;", view.GetProperty("html").GetString());
        Assert.DoesNotContain("<script", view.GetProperty("html").GetString());
        Assert.True(view.GetProperty("canEdit").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await pi.PutAsync(url, Notes("PI: **keep**"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PutAsync(url, Notes("not mine"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync(url, Notes("viewer"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.PutAsync(url, Notes("other lab"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync(url)).StatusCode);
        var read = JsonDocument.Parse(await viewer.GetStringAsync(url)).RootElement;
        Assert.Equal("PI: **keep**", read.GetProperty("markdown").GetString());
        Assert.False(read.GetProperty("canEdit").GetBoolean());

        // The cookie without the CSRF header is refused; a personal token needs none.
        using (var bare = TwoLabs.NewClient(factory))
        {
            bare.DefaultRequestHeaders.Add("Cookie", labs.AlphaMember.CookieHeader);
            Assert.Equal(HttpStatusCode.Forbidden, (await bare.PutAsync(url, Notes("forged"))).StatusCode);
            var token = await ApiTokenTests.CreateTokenAsync(owner, "notes script");
            bare.DefaultRequestHeaders.Remove("Cookie");
            bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            Assert.Equal(HttpStatusCode.OK, (await bare.PutAsync(url, Notes("from a script"))).StatusCode);
        }

        var tooLong = await owner.PutAsync(url, Notes(new string('x', TrainingRun.MaxNotesLength + 1)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var problem = await tooLong.Content.ReadAsStringAsync();
        Assert.Contains("Notes are 20,001 characters long; the limit is 20,000 characters.", problem);
        Assert.Equal("from a script", JsonDocument.Parse(await owner.GetStringAsync(url)).RootElement.GetProperty("markdown").GetString());

        var audit = await pi.GetStringAsync("/api/audit");
        Assert.Contains("run.notes", audit);
    }

    [Fact]
    public async Task Checkpoints_list_metrics_and_download_for_the_lab_only()
    {
        var labs = await TwoLabs.CreateAsync(factory);
        var run = await InsertRunAsync("member@alpha.test", "alpha");
        var checkpoints = Path.Combine(factory.DataRoot, run.RunFolder, "checkpoints");
        var weights = Encoding.ASCII.GetBytes("safetensors bytes of step 2");
        foreach (var (name, state) in new[] { ("step-000000002", true), ("step-000000003", false), (".tmp-step-000000004-x", true), ("final", false) })
        {
            Directory.CreateDirectory(Path.Combine(checkpoints, name));
            File.WriteAllBytes(Path.Combine(checkpoints, name, "model.safetensors"), name == "final" ? [1, 2, 3] : weights);
            if (state) File.WriteAllText(Path.Combine(checkpoints, name, "state.json"), "{}");
        }
        using var viewer = labs.AlphaViewer.CreateClient(factory);
        using var beta = labs.BetaPI.CreateClient(factory);

        var list = JsonDocument.Parse(await viewer.GetStringAsync($"/api/runs/{run.Id}/checkpoints")).RootElement.EnumerateArray().ToList();
        // step-3 has no state.json (incomplete) and .tmp-* is half-written: neither is offered.
        Assert.Equal(["final", "step-000000002"], list.Select(c => c.GetProperty("name").GetString()));
        var final = list[0];
        Assert.Equal(4, final.GetProperty("step").GetInt64());
        Assert.Equal(0.25, final.GetProperty("loss").GetDouble());
        Assert.Equal(3, final.GetProperty("sizeBytes").GetInt64());
        var step2 = list[1];
        Assert.Equal(0.5, step2.GetProperty("loss").GetDouble());
        Assert.Equal(0.25, step2.GetProperty("valDice").GetDouble());
        Assert.Equal(2, step2.GetProperty("valStep").GetInt64());

        var download = await viewer.GetAsync($"/api/runs/{run.Id}/checkpoints/step-000000002/model.safetensors");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(weights, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"run-{run.Id}-step-000000002.safetensors", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/runs/{run.Id}/checkpoints/step-000000002/model.safetensors")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/runs/{run.Id}/checkpoints")).StatusCode);
        foreach (var name in new[] { "step-000000003", ".tmp-step-000000004-x", "..", "%2E%2E%2Fcheckpoints", "nope" })
            Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/runs/{run.Id}/checkpoints/{name}/model.safetensors")).StatusCode);
    }
}
