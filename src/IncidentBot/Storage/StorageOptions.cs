using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string DefaultSqliteConnectionString = "Data Source=incidentbot.db";

    /// <summary><c>sqlite</c> (one file, the default) or <c>postgres</c> (several replicas).</summary>
    [Required]
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// For SQLite, defaults to a file <c>incidentbot.db</c> in the working directory; for PostgreSQL, required
    /// (<c>Host=…;Database=…;Username=…;Password=…</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    public static bool IsPostgres(string? provider) => string.Equals(provider?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);
}
