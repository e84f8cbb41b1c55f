using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>Registers the database for fixed options (tools, tests). See the other overload.</summary>
    public static IServiceCollection AddMedSegDatabase(this IServiceCollection services, DatabaseOptions options, string contentRoot) =>
        services.AddMedSegDatabase(_ => options, _ => contentRoot);

    /// <summary>
    /// Registers <c>IDbContextFactory&lt;MedSegDbContext&gt;</c> and a scoped <see cref="MedSegDbContext"/> (for Identity's stores).
    /// The options are read when the container first builds a context, not at registration, so configuration added
    /// late (e.g. by WebApplicationFactory) counts. <paramref name="contentRoot"/> anchors a relative SQLite file path.
    /// </summary>
    public static IServiceCollection AddMedSegDatabase(this IServiceCollection services,
        Func<IServiceProvider, DatabaseOptions> options, Func<IServiceProvider, string> contentRoot)
    {
        services.AddDbContextFactory<SqliteMedSegDbContext>((sp, o) =>
            o.UseSqlite(ResolveSqliteConnectionString(Checked(options(sp)).ConnectionString, contentRoot(sp))));
        services.AddDbContextFactory<PostgresMedSegDbContext>((sp, o) => o.UseNpgsql(Checked(options(sp)).ConnectionString));
        services.AddSingleton<IDbContextFactory<MedSegDbContext>>(sp =>
        {
            var provider = Checked(options(sp)).Provider;
            return IsPostgres(provider)
                ? new BaseContextFactory<PostgresMedSegDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresMedSegDbContext>>())
                : new BaseContextFactory<SqliteMedSegDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteMedSegDbContext>>());
        });
        services.AddScoped<MedSegDbContext>(sp => sp.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContext());
        return services;
    }

    private static bool IsPostgres(string provider) => string.Equals(provider, DatabaseProviders.PostgreSql, StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails fast, naming the configuration key, on an empty connection string or unknown provider.</summary>
    private static DatabaseOptions Checked(DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException($"Configuration '{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.ConnectionString)}' is empty.");
        if (!IsPostgres(options.Provider) && !string.Equals(options.Provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"Configuration '{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}' is '{options.Provider}'; " +
                $"expected '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.PostgreSql}'.");
        return options;
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
