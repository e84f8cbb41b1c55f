using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Membership;
using MedSeg.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// Per-lab quotas of the <c>Limits</c> section: queued runs and disk are refused where requests enter (the message
/// names the quota, the lab's value and the limit with its setting, and nothing is left behind); runs training at once
/// are held back when the training service picks its next run, so another lab's run goes first.
/// </summary>
public sealed class LabQuotaTests
{
    private sealed class QuotaPortalFactory(params (string Key, string Value)[] settings) : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Training:Enabled", "false");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }

    private static Task<HttpResponseMessage> PostTinyRunAsync(HttpClient client, string name) =>
        client.PostAsJsonAsync("api/runs", new
        {
            name,
            config = JsonDocument.Parse(RunTestHelpers.TinyConfig(3)).RootElement,
            spec = JsonDocument.Parse(RunTestHelpers.TinySpecJson()).RootElement,
        });

    [Theory]
    [InlineData("Limits:MaxQueuedRunsPerLab", "Limits:MaxQueuedRunsPerLab")]
    [InlineData("Limits:Labs:default:MaxQueuedRuns", "Limits:Labs:default:MaxQueuedRuns")]
    public async Task QueuedRuns_PastTheLabsQuota_Are400NamingValueAndLimit_AndNotInserted(string key, string named)
    {
        await using var factory = new QuotaPortalFactory((key, "2"));
        var pi = await TestAccounts.RegisterAsync(factory, "pi@quota.test");
        using var client = pi.CreateClient(factory);
        Assert.Equal(HttpStatusCode.Created, (await PostTinyRunAsync(client, "one")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostTinyRunAsync(client, "two")).StatusCode);

        var third = await PostTinyRunAsync(client, "three");

        var body = await third.Content.ReadAsStringAsync();
        Assert.True(third.StatusCode == HttpStatusCode.BadRequest, $"{third.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", third.Content.Headers.ContentType?.ToString());
        Assert.Contains($"QueuedRuns: lab 'default' has 2 queued runs, the limit is 2 ({named})", body);
        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.Equal(2, await db.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task Clone_PastTheQueuedQuota_IsRefusedToo()
    {
        await using var factory = new QuotaPortalFactory(("Limits:MaxQueuedRunsPerLab", "1"));
        var pi = await TestAccounts.RegisterAsync(factory, "pi@clone-quota.test");
        using var client = pi.CreateClient(factory);
        Assert.Equal(HttpStatusCode.Created, (await PostTinyRunAsync(client, "one")).StatusCode);
        var user = await PortalUserOf(factory, pi.Email);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            RunTestHelpers.WithServiceAsync(factory, runs => runs.CloneAsync(user, 1)));

        Assert.Contains("the limit is 1 (Limits:MaxQueuedRunsPerLab)", refused.Message);
    }

    [Fact]
    public async Task Disk_PastTheLabsQuota_RefusesRunsAndUploads_NamingUseAndLimit()
    {
        await using var factory = new QuotaPortalFactory(("Limits:MaxDiskBytesPerLab", "4000"));
        var pi = await TestAccounts.RegisterAsync(factory, "pi@disk.test");
        using var client = pi.CreateClient(factory);

        // An upload whose declared size alone passes the quota is refused before any byte reaches the disk.
        using var upload = new ByteArrayContent(new byte[5000]);
        upload.Headers.ContentType = new("application/octet-stream");
        var refusedUpload = await client.PostAsync("api/downstream/datasets?name=big&file=big.zip", upload);
        var uploadBody = await refusedUpload.Content.ReadAsStringAsync();
        Assert.True(refusedUpload.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{refusedUpload.StatusCode}: {uploadBody}");
        Assert.Contains("Disk: lab 'default' uses 0 B and this adds 5 kB, the limit is 4 kB (Limits:MaxDiskBytesPerLab)", uploadBody);
        Assert.False(Directory.Exists(Path.Combine(factory.DataRoot, "downstream", "big")));

        // The lab's first run writes 6 kB into its folder: the next run is refused.
        Assert.Equal(HttpStatusCode.Created, (await PostTinyRunAsync(client, "first")).StatusCode);
        var folder = Path.Combine(factory.DataRoot, "runs", "1");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "checkpoint.bin"), new byte[6000]);
        var services = factory.Services.GetRequiredService<LabQuotas>();
        Assert.Equal(6000, await services.DiskUsageAsync("default"));

        var second = await PostTinyRunAsync(client, "second");

        var body = await second.Content.ReadAsStringAsync();
        Assert.True(second.StatusCode == HttpStatusCode.BadRequest, $"{second.StatusCode}: {body}");
        Assert.Contains("Disk: lab 'default' uses 6 kB, the limit is 4 kB (Limits:MaxDiskBytesPerLab); delete datasets or runs first.", body);
        Assert.Equal(0, await services.DiskUsageAsync("other-lab"));
    }

    [Fact]
    public async Task RunningRuns_AtTheLabsQuota_LetAnotherLabsLaterRunGoFirst()
    {
        await using var factory = new QuotaPortalFactory(("Limits:MaxRunningRunsPerLab", "1"), ("Limits:Labs:beta:MaxRunningRuns", "2"));
        var pi = await TestAccounts.RegisterAsync(factory, "pi@running.test");
        var owner = (await PortalUserOf(factory, pi.Email)).Id;
        await using var db = await factory.Db.CreateDbContextAsync();
        TrainingRun Row(string lab, TrainingRunStatus status, string method = TrainingMethods.Fdsl) => new()
        {
            Name = $"{lab} {status}", Method = method, ModelName = "BasicUNet", ConfigJson = "{}", Status = status,
            OwnerId = owner, LabId = lab, CreatedAt = DateTime.UtcNow, TotalSteps = 3, RunFolder = "",
        };
        db.TrainingRuns.AddRange(
            Row("alpha", TrainingRunStatus.Running), Row("alpha", TrainingRunStatus.Queued),
            Row("beta", TrainingRunStatus.Running), Row("beta", TrainingRunStatus.Running, TrainingMethods.External),
            Row("beta", TrainingRunStatus.Queued), Row("gamma", TrainingRunStatus.Queued));
        await db.SaveChangesAsync();
        var quotas = factory.Services.GetRequiredService<LabQuotas>();

        var claimable = await (await quotas.ClaimableQueryAsync(db)).Select(r => r.LabId).ToListAsync();

        // alpha trains 1 of its 1; beta 1 of its own 2 (the external run uses no slot here); gamma none.
        Assert.Equal(["beta", "gamma"], claimable);
    }

    private static async Task<MedSeg.Web.Infrastructure.Security.PortalUser> PortalUserOf(PortalFactory factory, string email)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        return new MedSeg.Web.Infrastructure.Security.PortalUser(user.Id, email, user.LabId, IsPI: true);
    }
}
