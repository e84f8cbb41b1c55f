using MedSeg.Data;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using MedSeg.Web.Tests.Database;

namespace MedSeg.Web.Tests.Support;

/// <summary>The portal on its own throw-away database of the test PostgreSQL server (dropped on dispose); training off.</summary>
public sealed class PostgresPortalFactory : PortalFactory
{
    private readonly string connectionString = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
    {
        Database = $"medseg_runs_{Guid.NewGuid():N}",
    }.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", DatabaseProviders.PostgreSql);
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Training:Enabled", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            await db.Database.EnsureDeletedAsync();
        }
        catch (InvalidOperationException) { } // host never started
        await base.DisposeAsync();
    }
}
