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

    public static readonly TimeSpan MinInboxClaimTime = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxInboxClaimTime = TimeSpan.FromHours(1);

    /// <summary>
    /// PostgreSQL: how long Slack work one replica has taken from the inbox is kept from the others, renewed every third
    /// of it while the work runs; the work of a replica that died is taken over once this has passed. Shorter is a faster
    /// takeover and more renewals.
    /// </summary>
    public TimeSpan InboxClaimTime { get; set; } = TimeSpan.FromSeconds(10);

    public static bool IsPostgres(string? provider) => string.Equals(provider?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);
}
