using MedSeg.Data;
using MedSeg.Testing;
using MedSeg.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedSeg.Web.Tests.Database;

/// <summary>
/// The named lease two portal processes share (the Slurm poller's): one holder at a time, renewed by it, refused to the
/// other until it lapses or is released — on both providers' migrated databases.
/// </summary>
public sealed class ServiceLeasesTests
{
    [Fact]
    public async Task Sqlite_one_holder_at_a_time_taken_over_when_lapsed_or_released()
    {
        using var temp = new TempDirectory("medseg-lease");
        await CheckAsync(new DatabaseOptions { Provider = DatabaseProviders.Sqlite, ConnectionString = $"Data Source={Path.Combine(temp.Path, "lease.db")}" });
    }

    [PostgresFact]
    public async Task Postgres_one_holder_at_a_time_taken_over_when_lapsed_or_released()
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
        {
            Database = $"medseg_test_{Guid.NewGuid():N}",
        };
        await CheckAsync(new DatabaseOptions { Provider = DatabaseProviders.PostgreSql, ConnectionString = builder.ConnectionString });
    }

    private static async Task CheckAsync(DatabaseOptions options)
    {
        var factory = new ServiceCollection().AddMedSegDatabase(options, Path.GetTempPath()).BuildServiceProvider()
            .GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        try
        {
            await DatabaseMigrator.MigrateAsync(factory);
            await using var db = await factory.CreateDbContextAsync();
            var minute = TimeSpan.FromMinutes(1);
            Assert.True(await ServiceLeases.TryHoldAsync(db, "poller", "a", minute, default)); // first taker inserts
            Assert.False(await ServiceLeases.TryHoldAsync(db, "poller", "b", minute, default)); // held by a
            Assert.True(await ServiceLeases.TryHoldAsync(db, "poller", "a", minute, default)); // a renews
            Assert.True(await ServiceLeases.TryHoldAsync(db, "other", "b", minute, default)); // names are independent
            Assert.Equal("a", await ServiceLeases.HolderAsync(db, "poller", default));

            Assert.True(await ServiceLeases.TryHoldAsync(db, "poller", "a", TimeSpan.FromMilliseconds(-1), default)); // a stops renewing: lapsed
            Assert.Null(await ServiceLeases.HolderAsync(db, "poller", default));
            Assert.True(await ServiceLeases.TryHoldAsync(db, "poller", "b", minute, default)); // b takes over
            Assert.False(await ServiceLeases.TryHoldAsync(db, "poller", "a", minute, default)); // and a may not take it back

            await ServiceLeases.ReleaseAsync(db, "poller", "b", default); // a graceful stop hands it over at once
            Assert.True(await ServiceLeases.TryHoldAsync(db, "poller", "a", minute, default));
        }
        finally
        {
            await using var db = await factory.CreateDbContextAsync();
            if (options.Provider == DatabaseProviders.PostgreSql) await db.Database.EnsureDeletedAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the temporary folder's file can go
        }
    }
}
