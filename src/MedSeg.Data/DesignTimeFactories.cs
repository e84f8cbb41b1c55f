using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedSeg.Data;

// Used only by `dotnet ef` (see MedSegDbContext remarks); the connection strings are never opened when adding migrations.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMedSegDbContext>
{
    public SqliteMedSegDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMedSegDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMedSegDbContext>
{
    public PostgresMedSegDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMedSegDbContext>().UseNpgsql("Host=localhost;Database=medseg_design").Options);
}
