using System.Security.Claims;
using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MedSeg.Testing;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Datasets.Pages;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Tests.Features.Datasets;

/// <summary>The dataset list against a real SQLite file, updated by progress published on the real notifier.</summary>
public sealed class DatasetListLiveTests : PortalComponentTest
{
    private readonly TempDirectory temp = new("medseg-list");

    public DatasetListLiveTests()
    {
        Services.AddLogging();
        Services.AddSignalR(); // the notifier also forwards to the hub context
        Services.AddMedSegDatabase(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(temp.Path, "list.db")}" }, temp.Path);
        Services.AddOptions<StorageOptions>().Configure(o => o.DataRoot = temp.Path);
        Services.AddOptions<GenerationOptions>();
        Services.AddSingleton<IWebHostEnvironment>(new TestEnvironment(temp.Path));
        Services.AddSingleton<DataPaths>();
        Services.AddSingleton<GenerationQueue>();
        Services.AddSingleton<DatasetProgressNotifier>();
        Services.AddScoped<DatasetService>();
        Services.AddSingleton<MedSeg.Web.Features.Membership.LabQuotas>();
        Services.AddSingleton<MedSeg.Web.Features.Lists.PagedLists>();
    }

    [Fact]
    public async Task DatasetList_ProgressPublished_RowShowsNewCountsAndStatus()
    {
        var auth = AddAuthorization(); // services first: the seeding below builds the container
        auth.SetAuthorized("pi@list.test");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, OwnerId));
        await SeedAsync();
        EnsurePopoverProvider();
        SetRendererInfo(Interactive);
        var page = Render<DatasetList>();
        page.WaitForAssertion(() => Assert.Equal("0 / 4 volumes", page.Find("[data-testid=progress-text]").TextContent));

        Services.GetRequiredService<DatasetProgressNotifier>()
            .Publish(new DatasetProgress(1, DatasetStatus.Running, 3, 4, 1000, 0, 1.5, 0.7, null));

        page.WaitForAssertion(() =>
        {
            Assert.StartsWith("3 / 4 volumes · 1.5 vol/s", page.Find("[data-testid=progress-text]").TextContent);
            Assert.Equal("Running", page.Find("[data-testid=status-chip]").GetAttribute("data-status"));
        });
    }

    [Fact]
    public async Task DatasetList_Disposed_Unsubscribes()
    {
        var auth = AddAuthorization(); // services first: the seeding below builds the container
        auth.SetAuthorized("pi@list.test");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, OwnerId));
        await SeedAsync();
        var notifier = Services.GetRequiredService<DatasetProgressNotifier>();
        EnsurePopoverProvider();
        SetRendererInfo(Interactive);
        var page = Render<DatasetList>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=status-chip]")));
        Assert.Equal(1, notifier.SubscriberCount);

        page.Instance.Dispose();

        Assert.Equal(0, notifier.SubscriberCount);
    }

    private const string OwnerId = "owner-1";

    private async Task SeedAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        await DatabaseMigrator.MigrateAsync(factory);
        await using var db = await factory.CreateDbContextAsync();
        var owner = new ApplicationUser { Id = OwnerId, UserName = "pi@list.test", Email = "pi@list.test" };
        db.Users.Add(owner);
        var now = DateTime.UtcNow;
        db.Datasets.Add(new Dataset
        {
            Id = 1, Name = "listed", SpecJson = "{}", VolumeCountRequested = 4, Status = DatasetStatus.Queued,
            Owner = owner, Path = "datasets/1", CreatedUtc = now, UpdatedUtc = now,
        });
        await db.SaveChangesAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    private sealed class TestEnvironment(string root) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "MedSeg.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = Environments.Development;
    }
}
