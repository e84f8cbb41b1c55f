using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>IDbContextFactory&lt;MedSegDbContext&gt;</c> and a scoped <see cref="MedSegDbContext"/> (for Identity's stores)
    /// for the provider <paramref name="options"/> names. <paramref name="contentRoot"/> anchors a relative SQLite file path.
    /// </summary>
    public static IServiceCollection AddMedSegDatabase(this IServiceCollection services, DatabaseOptions options, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException($"Configuration '{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.ConnectionString)}' is empty.");

        if (string.Equals(options.Provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = ResolveSqliteConnectionString(options.ConnectionString, contentRoot);
            services.AddDbContextFactory<SqliteMedSegDbContext>(o => o.UseSqlite(connectionString));
            services.AddSingleton<IDbContextFactory<MedSegDbContext>>(sp =>
                new BaseContextFactory<SqliteMedSegDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteMedSegDbContext>>()));
        }
        else if (string.Equals(options.Provider, DatabaseProviders.PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            services.AddDbContextFactory<PostgresMedSegDbContext>(o => o.UseNpgsql(options.ConnectionString));
            services.AddSingleton<IDbContextFactory<MedSegDbContext>>(sp =>
                new BaseContextFactory<PostgresMedSegDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresMedSegDbContext>>()));
        }
        else
        {
            throw new InvalidOperationException(
                $"Configuration '{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}' is '{options.Provider}'; " +
                $"expected '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.PostgreSql}'.");
        }

        services.AddScoped<MedSegDbContext>(sp => sp.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>Makes a relative SQLite <c>Data Source</c> absolute under <paramref name="contentRoot"/> and creates its folder.</summary>
    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && !Path.IsPathRooted(source))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, source));
        if (builder.DataSource is { Length: > 0 } full && full != ":memory:")
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return builder.ToString();
    }

    /// <summary>Hands out the provider-specific context as the base type components depend on.</summary>
    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<MedSegDbContext>
        where TContext : MedSegDbContext
    {
        public MedSegDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
