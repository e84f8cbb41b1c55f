using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedSeg.Web.Tests.Database;

/// <summary>The PostgreSQL provider end to end on a real server: its own migration set, insert, read back.</summary>
public sealed class PostgresProviderTests
{
    [PostgresFact]
    public async Task Migrate_InsertDatasetWithOwner_ReadsBackEveryField()
    {
        // A database of its own per run, dropped afterwards; Migrate creates it.
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
        {
            Database = $"medseg_test_{Guid.NewGuid():N}",
        };
        var services = new ServiceCollection()
            .AddMedSegDatabase(new DatabaseOptions { Provider = DatabaseProviders.PostgreSql, ConnectionString = builder.ConnectionString }, Path.GetTempPath())
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        try
        {
            await DatabaseMigrator.MigrateAsync(factory);
            var created = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
            await using (var db = await factory.CreateDbContextAsync())
            {
                Assert.IsType<PostgresMedSegDbContext>(db);
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                var owner = new ApplicationUser { UserName = "pi@pg.test", Email = "pi@pg.test", LabId = "lab-a" };
                db.Users.Add(owner);
                db.Datasets.Add(new Dataset
                {
                    LabId = "lab-a", Name = "pg-set", SpecJson = "{\"VolumeSize\":32}", Seed = long.MaxValue, Status = DatasetStatus.Interrupted,
                    VolumeCountRequested = 10, VolumeCountDone = 4, BytesOnDisk = 5_000_000_000, Path = "datasets/1",
                    Owner = owner, CreatedUtc = created, UpdatedUtc = created, Error = "stopped", DroppedShapes = 3,
                });
                await db.SaveChangesAsync();
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                var row = await db.Datasets.Include(d => d.Owner).SingleAsync(d => d.Name == "pg-set");
                Assert.Equal(DatasetStatus.Interrupted, row.Status);
                Assert.Equal(long.MaxValue, row.Seed);
                Assert.Equal(5_000_000_000, row.BytesOnDisk);
                Assert.Equal((10, 4, 3), (row.VolumeCountRequested, row.VolumeCountDone, row.DroppedShapes));
                Assert.Equal("pi@pg.test", row.Owner!.Email);
                Assert.Equal(created, row.CreatedUtc);
                Assert.Equal("lab-a", row.LabId);
                // Status is stored as text, readable from SQL.
                var stored = await db.Database.SqlQueryRaw<string>("SELECT \"Status\" AS \"Value\" FROM \"Datasets\"").SingleAsync();
                Assert.Equal("Interrupted", stored);
            }
        }
        finally
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.EnsureDeletedAsync();
        }
    }
}
