using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Data;

/// <summary>
/// The portal's database: Identity tables, datasets and training runs (with step metrics and events). Use it through
/// <c>IDbContextFactory&lt;MedSegDbContext&gt;</c> with one short-lived context per operation.
/// </summary>
/// <remarks>
/// Each provider has its own migration set, compiled into this assembly from <c>database/Migrations/{SQLite,PostgreSQL}</c>;
/// EF tells the sets apart by context type, hence the two thin subclasses <see cref="SqliteMedSegDbContext"/> and
/// <see cref="PostgresMedSegDbContext"/> (the design-time factories in <c>DesignTimeFactories.cs</c> build them without the web app).
/// Adding a migration (from the repository root, dotnet-ef installed as a tool: <c>dotnet tool restore</c>):
/// <code>
/// dotnet ef migrations add NAME --project src/MedSeg.Data --context SqliteMedSegDbContext   --output-dir ../../database/Migrations/SQLite     --namespace MedSeg.Data.Migrations.Sqlite
/// dotnet ef migrations add NAME --project src/MedSeg.Data --context PostgresMedSegDbContext --output-dir ../../database/Migrations/PostgreSQL --namespace MedSeg.Data.Migrations.PostgreSql
/// </code>
/// (dotnet-ef 11 works with these EF Core 10 projects; the manifest is <c>.config/dotnet-tools.json</c>.)
/// The web app applies pending migrations at start-up.
/// </remarks>
public class MedSegDbContext : IdentityDbContext<ApplicationUser>
{
    protected MedSegDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<RunStepMetric> RunStepMetrics => Set<RunStepMetric>();
    public DbSet<RunEvent> RunEvents => Set<RunEvent>();
    public DbSet<RunSystemSample> RunSystemSamples => Set<RunSystemSample>();
    public DbSet<LabAdmin> LabAdmins => Set<LabAdmin>();
    public DbSet<BenchmarkProtocolEntry> BenchmarkProtocols => Set<BenchmarkProtocolEntry>();
    public DbSet<BenchmarkCell> BenchmarkCells => Set<BenchmarkCell>();
    public DbSet<ServiceLease> ServiceLeases => Set<ServiceLease>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MedSegDbContext).Assembly);
    }
}

/// <summary>The SQLite flavour of <see cref="MedSegDbContext"/> (owns the SQLite migration set).</summary>
public sealed class SqliteMedSegDbContext(DbContextOptions<SqliteMedSegDbContext> options) : MedSegDbContext(options);

/// <summary>The PostgreSQL flavour of <see cref="MedSegDbContext"/> (owns the PostgreSQL migration set).</summary>
public sealed class PostgresMedSegDbContext(DbContextOptions<PostgresMedSegDbContext> options) : MedSegDbContext(options);
