using MedSeg.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Testing;

namespace MedSeg.Web.Tests.Support;

/// <summary>
/// The real portal in memory, with its own temp SQLite file and data root (so test classes never share state),
/// content root at the repository root as in production.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory temp = new("medseg-portal");

    public virtual string DataRoot => Path.Combine(temp.Path, "data");
    public virtual string DatabaseFile => Path.Combine(temp.Path, "portal.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot.Path);
        builder.UseSetting("Database:Provider", DatabaseProviders.Sqlite);
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabaseFile}");
        builder.UseSetting("Storage:DataRoot", DataRoot);
        builder.UseSetting("Generation:QueuePollInterval", "00:00:01");
        builder.UseSetting("Generation:MaxDegreeOfParallelism", "2");
        builder.UseSetting("Training:QueuePollInterval", "00:00:00.500");
        foreach (var (key, value) in TestSettings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
    }

    /// <summary>
    /// Settings every test portal shares: open registration where the first account becomes PI (the suites register
    /// their PI through the page), no sign-in rate limit (the suites register many accounts from one address), and no page warm-up.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TestSettings = new Dictionary<string, string>
    {
        ["Accounts:Registration"] = "Open",
        ["Accounts:FirstAccountBecomesPI"] = "true",
        ["Limits:AuthPostsPerMinute"] = "100000",
        // No background renders beside what a test does (PageWarmUpTests switches it on).
        ["Portal:WarmUpPages"] = "false",
    };

    public IDbContextFactory<MedSegDbContext> Db => Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
