using Microsoft.EntityFrameworkCore;

namespace MedSeg.Data;

public static class DatabaseMigrator
{
    /// <summary>Applies pending migrations of the configured provider (creates the database if it does not exist).</summary>
    public static async Task MigrateAsync(IDbContextFactory<MedSegDbContext> factory, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
