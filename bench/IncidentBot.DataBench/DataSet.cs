using System.Diagnostics;
using System.Text.Json;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IncidentBot.DataBench;

/// <summary>
/// A SQLite file of generated history, and what the scenarios need to know about it. Built once per schema
/// version, size and generator version, kept in the temp folder and reused: building it takes minutes.
/// </summary>
public sealed record DataSet(
    string DatabasePath,
    DateTimeOffset Now,
    long LongIncident,
    long TypicalIncident,
    int Incidents,
    int Messages,
    int LongIncidentMessages,
    long TimelineEntries,
    int SchemaVersion,
    double BuildSeconds,
    IReadOnlyList<long> RecentlyDeclaredOpen,
    IReadOnlyList<long> ResolvedIncidents)
{
    /// <summary>Bump when the generated data changes, so cached files of the old shape are not reused.</summary>
    public const int GeneratorVersion = 1;

    private const string InfoFile = "dataset.json";

    public long FileBytes => new FileInfo(DatabasePath).Length
        + (File.Exists(DatabasePath + "-wal") ? new FileInfo(DatabasePath + "-wal").Length : 0);

    /// <summary>The cached data set of these sizes, or a new one (also when <see cref="DataBenchSettings.Rebuild"/>).</summary>
    public static async Task<(DataSet DataSet, bool Built)> OpenOrBuildAsync(DataBenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var schemaVersion = new SqliteDatabase("Data Source=:memory:").LatestVersion;
        var root = settings.DataFolder ?? Path.Combine(Path.GetTempPath(), "incidentbot-databench");
        var folder = Path.Combine(root,
            $"schema{schemaVersion}-i{settings.Incidents}-m{settings.Messages}-l{settings.LongIncidentMessages}-g{GeneratorVersion}");
        var info = Path.Combine(folder, InfoFile);
        if (!settings.Rebuild && File.Exists(info))
        {
            var cached = JsonSerializer.Deserialize<DataSet>(await File.ReadAllTextAsync(info, cancellationToken))!;
            if (File.Exists(cached.DatabasePath))
            {
                log.WriteLine($"data set: reusing {cached.DatabasePath} (built in {cached.BuildSeconds:0} s; --rebuild to build it again)");
                return (cached, false);
            }
        }

        // The info file is written last: a folder without it is a build that did not finish.
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "incidentbot.db");
        log.WriteLine($"data set: building {path}: {settings.Incidents:N0} incidents, {settings.Messages:N0} messages …");
        var clock = Stopwatch.StartNew();
        var built = await DataSetWriter.WriteAsync(path, settings, log, cancellationToken);
        var dataSet = built with { SchemaVersion = schemaVersion, BuildSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1) };
        await File.WriteAllTextAsync(info, JsonSerializer.Serialize(dataSet, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        log.WriteLine($"data set: built in {dataSet.BuildSeconds:0} s, {dataSet.FileBytes / (1024.0 * 1024):N0} MB");
        return (dataSet, true);
    }

    /// <summary>SQLite's own page counts, to say where the file's size goes.</summary>
    public async Task<IReadOnlyList<(string Name, long Bytes)>> TableSizesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT CASE WHEN name LIKE 'incident_search%' THEN 'incident_search (FTS5)'
                        WHEN name LIKE 'timeline_search%' THEN 'timeline_search (FTS5)'
                        ELSE name END AS part, SUM(pgsize)
            FROM dbstat GROUP BY part ORDER BY 2 DESC LIMIT 8;
            """;
        var sizes = new List<(string, long)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sizes.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        catch (SqliteException)
        {
            // dbstat is a compile-time option; without it the total size is all there is.
        }

        return sizes;
    }
}
