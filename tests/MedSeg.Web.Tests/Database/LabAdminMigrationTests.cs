using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using MedSeg.Testing;
using MedSeg.Web.Features.Account;

namespace MedSeg.Web.Tests.Database;

/// <summary>
/// Upgrading an installation that already has a PI: the RunControlAndLabAdmins migration records that PI as the lab's
/// administrator, so a later registration does not become a second PI. Same migration SQL on both providers.
/// </summary>
public sealed class LabAdminMigrationTests
{
    [Fact]
    public async Task Sqlite_ExistingPi_BecomesTheLabAdministrator()
    {
        using var temp = new TempDirectory("medseg-labadmin");
        var services = new ServiceCollection()
            .AddMedSegDatabase(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(temp.Path, "old.db")}" }, temp.Path)
            .BuildServiceProvider();
        try
        {
            await AssertUpgradeKeepsPiAsync(services.GetRequiredService<IDbContextFactory<MedSegDbContext>>());
        }
        finally
        {
            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    [PostgresFact]
    public async Task Postgres_ExistingPi_BecomesTheLabAdministrator()
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
        {
            Database = $"medseg_labadmin_{Guid.NewGuid():N}",
        };
        var services = new ServiceCollection()
            .AddMedSegDatabase(new DatabaseOptions { Provider = DatabaseProviders.PostgreSql, ConnectionString = builder.ConnectionString }, Path.GetTempPath())
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        try
        {
            await AssertUpgradeKeepsPiAsync(factory);
        }
        finally
        {
            await using (var db = await factory.CreateDbContextAsync()) await db.Database.EnsureDeletedAsync();
            await services.DisposeAsync();
        }
    }

    private static async Task AssertUpgradeKeepsPiAsync(IDbContextFactory<MedSegDbContext> factory)
    {
        await using (var db = await factory.CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var target = migrations.Single(m => m.EndsWith("_RunControlAndLabAdmins", StringComparison.Ordinal));
            // The schema as it was before this migration, with a PI and a member registered.
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(target) - 1]);
            var pi = new ApplicationUser { Id = "pi-1", UserName = "pi@old.test", Email = "pi@old.test", LabId = Labs.Default };
            var member = new ApplicationUser { Id = "member-1", UserName = "m@old.test", Email = "m@old.test", LabId = Labs.Default };
            var piRole = new IdentityRole(Roles.PI) { Id = "role-pi", NormalizedName = Roles.PI.ToUpperInvariant() };
            var memberRole = new IdentityRole(Roles.Member) { Id = "role-member", NormalizedName = Roles.Member.ToUpperInvariant() };
            db.AddRange(pi, member, piRole, memberRole);
            db.UserRoles.AddRange(new IdentityUserRole<string> { UserId = pi.Id, RoleId = piRole.Id },
                new IdentityUserRole<string> { UserId = member.Id, RoleId = memberRole.Id });
            await db.SaveChangesAsync();
        }

        await DatabaseMigrator.MigrateAsync(factory);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var admin = Assert.Single(await db.LabAdmins.AsNoTracking().ToListAsync());
            Assert.Equal((Labs.Default, "pi-1"), (admin.LabId, admin.UserId));
        }
        var registry = new LabAdministration(factory);
        Assert.False(await registry.TryClaimAsync(new ApplicationUser { Id = "member-1", LabId = Labs.Default }));
    }
}
