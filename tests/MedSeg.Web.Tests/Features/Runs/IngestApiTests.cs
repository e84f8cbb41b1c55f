using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Features.Account;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The ingestion API end to end (issue 12): a script holding only a personal API token creates an external run, logs
/// steps with validation Dice, attaches a safetensors checkpoint and the final evaluation, and the run appears on the
/// lab's leaderboard. Malformed input is refused naming the field; another lab cannot report to it.
/// </summary>
public sealed class IngestApiTests
{
    [Fact]
    public async Task ExternalRun_CreatedWithAToken_StepsLogged_AppearsOnTheLeaderboard()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@ingest.test");
        using var cookie = account.CreateClient(factory);
        var token = await ApiTokenTests.CreateTokenAsync(cookie, "monai script");
        using var script = TwoLabs.NewClient(factory); // no cookie, no CSRF header: a script
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);

        var created = await script.PostAsJsonAsync("/api/ingest/runs", new
        {
            name = "monai swinunetr", model = "SwinUNETR", totalSteps = 4, tags = "external",
            config = new { lr = 1e-4, batch = 2, roi = new[] { 96, 96, 96 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var run = (await created.Content.ReadFromJsonAsync<RunApi.RunSummary>(RunApiPolling.Json))!;
        Assert.Equal("External", run.Method);

        var steps = await script.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/steps", new object[]
        {
            new { step = 1, loss = 0.9, lr = 1e-4 },
            new { step = 2, loss = 0.7, lr = 1e-4, valDice = 0.41, valDicePerClass = new[] { 0.99, 0.41 } },
            new { step = 3, loss = 0.6, lr = 1e-4 },
        });
        Assert.True(steps.StatusCode == HttpStatusCode.OK, await steps.Content.ReadAsStringAsync());
        var backwards = await script.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/steps", new object[] { new { step = 2, loss = 0.5 } });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("steps must increase after 3", await backwards.Content.ReadAsStringAsync());

        using (var bad = new ByteArrayContent(Encoding.UTF8.GetBytes("not a safetensors file at all")))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await script.PutAsync($"/api/ingest/runs/{run.Id}/checkpoint", bad)).StatusCode);
        using (var good = new ByteArrayContent(Safetensors()))
            Assert.Equal(HttpStatusCode.NoContent, (await script.PutAsync($"/api/ingest/runs/{run.Id}/checkpoint", good)).StatusCode);
        Assert.True(File.Exists(Path.Combine(factory.DataRoot, "runs", run.Id.ToString(), "checkpoints", "final", "model.safetensors")));

        var evaluated = await script.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/evaluation", new { finalValDice = 0.52, metrics = new { spleen = 0.52 } });
        Assert.True(evaluated.StatusCode == HttpStatusCode.OK, await evaluated.Content.ReadAsStringAsync());

        var metrics = await script.GetStringAsync($"/api/runs/{run.Id}/metrics?after=0");
        Assert.Contains("0.41", metrics);
        var board = await script.GetStringAsync("/api/runs/export.csv?rankBy=best_val_dice");
        var row = Assert.Single(board.Split('\n'), l => l.Contains("monai swinunetr"));
        Assert.StartsWith("1,0.52,", row);
        Assert.Contains(",External,", row);
        Assert.Contains("ingest.create", await cookie.GetStringAsync("/api/audit"));

        // Another lab's script cannot see or report to it; a completed run takes no more steps.
        var late = await script.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/steps", new object[] { new { step = 4, loss = 0.5 } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    /// <summary>A minimal valid safetensors file: one float32 tensor of two values.</summary>
    private static byte[] Safetensors()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        var bytes = new byte[8 + header.Length + 8];
        BitConverter.GetBytes((ulong)header.Length).CopyTo(bytes, 0);
        header.CopyTo(bytes, 8);
        return bytes;
    }
}
