using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// The page warm-up (issue 18: first visits after a restart past 300 ms): the first signed-in page view renders the main
/// pages once in the process as that user — every one answered 200, not the sign-in redirect an anonymous request gets —
/// and follows the first run and dataset of the lists to their pages, leaving no live subscription behind; nothing starts it before, nothing starts it again,
/// and it is off when configured so.
/// </summary>
public sealed class PageWarmUpTests
{
    private sealed class WarmingPortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:WarmUpPages", "true");
            builder.UseSetting("Portal:WarmUpDelay", "00:00:00");
            builder.UseSetting("Training:Enabled", "false");
        }
    }

    [Fact]
    public async Task FirstSignedInPageView_RendersTheMainPagesOnceAsThatUser_AndTheFirstRunAndDataset()
    {
        await using var factory = new WarmingPortal();
        var warmUp = factory.Services.GetRequiredService<PageWarmUp>();
        var pi = await TestAccounts.RegisterAsync(factory, "pi@warm.test");
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await anonymous.GetAsync("/runs")).StatusCode);
        Assert.False(warmUp.Started, "registering and an anonymous page view must not start the warm-up");

        var user = await DatasetTestHelpers.PortalUserAsync(factory, pi.Email);
        var dataset = await DatasetTestHelpers.CreateAsync(factory, user, "warm-set", 1);
        int runId;
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var run = new TrainingRun
            {
                Name = "warm-run", ModelName = "BasicUNet", OwnerId = user.Id, LabId = user.LabId, Status = TrainingRunStatus.Completed,
                CreatedAt = DateTime.UtcNow, CurrentStep = 4, TotalSteps = 4, RunFolder = "pending",
            };
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync();
            run.RunFolder = DataPaths.RelativeRunPath(run.Id);
            await db.SaveChangesAsync();
            runId = run.Id;
        }

        using var client = pi.CreateClient(factory);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/runs")).StatusCode);
        // Each page is bounded (PageWarmUp.PageTimeout): the warm-up always ends.
        var warmed = await warmUp.Warmed.WaitAsync(warmUp.Longest);

        Assert.True(warmed.All(p => p.Status == 200), string.Join(", ", warmed));
        Assert.Equal([.. PageWarmUp.Paths, $"/runs/{runId}", $"/datasets/{dataset.Id}"], warmed.Select(p => p.Path));

        // Its pages were disposed with their requests: no live subscription left behind (the dashboard and run page subscribe).
        Assert.Equal(0, factory.Services.GetRequiredService<MedSeg.Web.Features.Runs.Live.RunProgressFeed>().SubscriberCount);
        Assert.Equal(0, factory.Services.GetRequiredService<MedSeg.Web.Features.Datasets.DatasetProgressNotifier>().SubscriberCount);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/datasets")).StatusCode);
        Assert.Same(warmed, await warmUp.Warmed); // once per process
    }

    [Fact]
    public async Task Off_ASignedInPageViewStartsNothing()
    {
        await using var factory = new PortalFactory(); // the test settings switch it off
        var pi = await TestAccounts.RegisterAsync(factory, "pi@cold.test");
        using var client = pi.CreateClient(factory);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.False(factory.Services.GetRequiredService<PageWarmUp>().Started);
    }

    private sealed class LatePortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:WarmUpDelay", "00:06:00");
        }
    }

    [Fact]
    public async Task Options_ADelayOutOfRange_StopsTheStart_NamingItsValueAndLimit()
    {
        await using var factory = new LatePortal();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Portal:WarmUpDelay must be between 00:00:00 and 00:05:00, got 00:06:00.", error.Message);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    public void Options_ADelayOutOfRange_IsNamedWithItsValueAndLimit(string delay)
    {
        var problem = Assert.Single(new PortalOptions { WarmUpDelay = TimeSpan.Parse(delay, System.Globalization.CultureInfo.InvariantCulture) }.Problems());
        Assert.Contains("Portal:WarmUpDelay", problem);
        Assert.Contains(delay, problem);
        Assert.Contains("00:05:00", problem);
        Assert.Empty(new PortalOptions().Problems());
    }
}
