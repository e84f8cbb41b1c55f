namespace MedSeg.Data;

/// <summary>Database settings, bound from the <c>Database</c> section of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><see cref="DatabaseProviders.Sqlite"/> (default) or <see cref="DatabaseProviders.PostgreSql"/>.</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>
    /// Provider connection string. For SQLite a relative <c>Data Source</c> is resolved against the content root
    /// (the repository root), default <c>Data Source=database/medseg.db</c>.
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=database/medseg.db";
}

public static class DatabaseProviders
{
    public const string Sqlite = "SQLite";
    public const string PostgreSql = "PostgreSQL";
}
