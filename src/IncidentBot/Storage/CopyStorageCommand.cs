using System.Data.Common;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// <c>copy-storage --to "Host=…;Database=…" [--from "Data Source=…"]</c>: moves an SQLite file into an empty PostgreSQL
/// database (<see cref="StorageCopy"/>). The source defaults to the configured SQLite file.
/// </summary>
public static class CopyStorageCommand
{
    public const string Name = "copy-storage";

    /// <returns>The process exit code: 0 copied, 1 failed, 2 wrong arguments.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var to = Option(args, "--to");
        if (string.IsNullOrWhiteSpace(to))
        {
            await error.WriteLineAsync($"{Name} needs --to \"Host=…;Database=…;Username=…\": the empty PostgreSQL database to copy into.");
            return 2;
        }

        var from = Option(args, "--from") ?? ConfiguredSqlite(args);
        if (from is null)
        {
            await error.WriteLineAsync($"{Name} needs --from \"Data Source=<file>\" here: Storage:Provider is not sqlite.");
            return 2;
        }

        try
        {
            await using var source = new SqliteDatabase(from);
            await using var target = new PostgresDatabase(to);
            await output.WriteLineAsync($"Copying {source.DataSource} into PostgreSQL {target.Description}");
            var copied = await new StorageCopy(source, target, output).RunAsync(cancellationToken);
            await output.WriteLineAsync(
                $"Copied {copied.Values.Sum():N0} rows, every table's count checked: {copied["incidents"]:N0} incidents, "
                + $"{copied["timeline_entries"]:N0} timeline entries.");
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or DbException or ArgumentException)
        {
            await error.WriteLineAsync($"{Name} failed: {exception.Message}");
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>Storage:ConnectionString as the bot itself would read it (appsettings, environment, arguments).</summary>
    private static string? ConfiguredSqlite(string[] args)
    {
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        return StorageOptions.IsPostgres(configuration["Storage:Provider"])
            ? null
            : configuration["Storage:ConnectionString"] ?? StorageOptions.DefaultSqliteConnectionString;
    }
}
