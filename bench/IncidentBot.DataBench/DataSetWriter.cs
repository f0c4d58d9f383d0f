using System.Globalization;
using System.Text;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IncidentBot.DataBench;

/// <summary>
/// Writes the generated history into a new file: the schema from the application's own
/// <see cref="SqliteDatabase.MigrateAsync"/>, then plain INSERTs into its tables from one writer in big
/// transactions, each ending with <see cref="SqliteDatabase.BeforeCommitAsync"/>, then
/// <see cref="SqliteDatabase.BeforeSearchAsync"/>, so every row is indexed for search as in production.
/// Timeline entries are inserted in the order they happened across all incidents, as the bot stores them,
/// so their ids interleave the way real ones do.
/// </summary>
internal static class DataSetWriter
{
    /// <summary>The clock of the generated world; the benchmark's services see this as "now".</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private const int RowsPerTransaction = 50_000;

    // What each timeline row is, packed with its incident's index into one sortable long.
    private const int KindBits = 3;
    private const long Written = 0, Declared = 1, ToStable = 2, ToResolved = 3, ToCompleted = 4;

    public static async Task<DataSet> WriteAsync(string path, DataBenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase($"Data Source={path}");
        await database.MigrateAsync(cancellationToken);

        var random = new Random(20261123);
        var plans = IncidentPlanner.Plan(settings, Now, random);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Foreign Keys=True");
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;", cancellationToken);

        await WriteIncidentsAsync(connection, plans, cancellationToken);
        log.WriteLine($"data set: {plans.Count:N0} incidents written");
        var entries = await WriteTimelinesAsync(database, connection, plans, random, log, cancellationToken);
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);

        var now = Now.ToUnixTimeMilliseconds();
        var recent = plans.Where(p => p.ResolvedAt is null && p.DeclaredAt >= now - (long)TimeSpan.FromHours(2).TotalMilliseconds)
            .Select(p => (long)p.Number).ToList();
        var resolved = plans.Where(p => p.ResolvedAt is not null && p.Messages >= 15).Select(p => (long)p.Number).ToList();
        return new DataSet(
            Path.GetFullPath(path), Now, plans.Single(p => p.IsLong).Number, plans.Single(p => p.IsTypical).Number,
            plans.Count, plans.Sum(p => p.Messages), settings.LongIncidentMessages, entries, 0, 0, recent, resolved);
    }

    private static async Task WriteIncidentsAsync(SqliteConnection connection, IReadOnlyList<IncidentPlan> plans, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction();
        await using var incident = Command(connection, transaction, """
            INSERT INTO incidents (number, title, severity, status, commander_id, environment, customer_impact, description, declared_by,
                mitigation_summary, resolution_summary, channel_id, channel_name, declared_at, stable_at, resolved_at, updated_at, version)
            VALUES ($number, $title, $severity, $status, $commander, 'production', $impact, $description, $declaredBy,
                $mitigation, $resolution, $channel, $channelName, $declaredAt, $stableAt, $resolvedAt, $updatedAt, $version);
            """);
        await using var service = Command(connection, transaction,
            "INSERT INTO incident_services (incident_number, service, position) VALUES ($number, $service, $position);");
        foreach (var plan in plans)
        {
            Set(incident, "$number", plan.Number);
            Set(incident, "$title", plan.Title);
            Set(incident, "$severity", plan.Severity);
            Set(incident, "$status", plan.Status);
            Set(incident, "$commander", plan.Commander);
            Set(incident, "$impact", plan.Impact);
            Set(incident, "$description", plan.Description);
            Set(incident, "$declaredBy", plan.DeclaredBy);
            Set(incident, "$mitigation", plan.Mitigation);
            Set(incident, "$resolution", plan.Resolution);
            Set(incident, "$channel", plan.Channel);
            Set(incident, "$channelName", $"inc-{plan.Number}");
            Set(incident, "$declaredAt", plan.DeclaredAt);
            Set(incident, "$stableAt", plan.StableAt);
            Set(incident, "$resolvedAt", plan.ResolvedAt);
            Set(incident, "$updatedAt", plan.ResolvedAt ?? plan.StableAt ?? plan.DeclaredAt);
            Set(incident, "$version", 1 + (plan.StableAt is null ? 0 : 1) + (plan.ResolvedAt is null ? 0 : 1));
            await incident.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < plan.Services.Length; i++)
            {
                Set(service, "$number", plan.Number);
                Set(service, "$service", plan.Services[i]);
                Set(service, "$position", i);
                await service.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<long> WriteTimelinesAsync(
        SqliteDatabase database, SqliteConnection connection, IReadOnlyList<IncidentPlan> plans, Random random, TextWriter log, CancellationToken cancellationToken)
    {
        var (times, rows) = Schedule(plans, random);
        var written = new int[plans.Count];
        var text = new MessageWriter(random);
        var transaction = connection.BeginTransaction();
        var insert = Command(connection, transaction, """
            INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
                slack_thread_ts, permalink, is_bot)
            VALUES ($number, $kind, $at, $actor, $text, $data, $channel, $ts, NULL, $permalink, $bot);
            """);
        try
        {
            for (var i = 0; i < times.Length; i++)
            {
                var plan = plans[(int)(rows[i] >> KindBits)];
                var kind = rows[i] & ((1 << KindBits) - 1);
                var entry = kind == Written
                    ? text.Entry(plan, written[plan.Number - 1]++)
                    : Automatic(plan, kind);
                Set(insert, "$number", plan.Number);
                Set(insert, "$kind", entry.Kind);
                Set(insert, "$at", times[i]);
                Set(insert, "$actor", entry.Actor);
                Set(insert, "$text", entry.Text);
                Set(insert, "$data", entry.Data);
                var ts = entry.InSlack ? SlackTs(times[i]) : null;
                Set(insert, "$channel", entry.InSlack ? plan.Channel : null);
                Set(insert, "$ts", ts);
                Set(insert, "$permalink", ts is null ? null : $"https://example.slack.com/archives/{plan.Channel}/p{ts.Replace(".", "", StringComparison.Ordinal)}");
                Set(insert, "$bot", entry.IsBot ? 1 : 0);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                if ((i + 1) % RowsPerTransaction == 0)
                {
                    await database.BeforeCommitAsync(connection, transaction);
                    await transaction.CommitAsync(cancellationToken);
                    await transaction.DisposeAsync();
                    transaction = connection.BeginTransaction();
                    insert.Transaction = transaction;
                    if ((i + 1) % (RowsPerTransaction * 4) == 0)
                    {
                        log.WriteLine($"data set: {i + 1:N0} of {times.Length:N0} timeline entries");
                    }
                }
            }

            await database.BeforeCommitAsync(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            await database.BeforeSearchAsync(cancellationToken);
        }
        finally
        {
            await insert.DisposeAsync();
            await transaction.DisposeAsync();
        }

        return times.Length;
    }

    /// <summary>Every timeline row's time, sorted, each distinct (a Slack ts names one message per channel).</summary>
    private static (long[] Times, long[] Rows) Schedule(IReadOnlyList<IncidentPlan> plans, Random random)
    {
        var count = plans.Sum(p => p.Messages + 1 + (p.StableAt is null ? 0 : 1) + (p.ResolvedAt is null ? 0 : 1) + (p.Status == "completed" ? 1 : 0));
        var times = new long[count];
        var rows = new long[count];
        var n = 0;
        void Add(long at, int index, long kind)
        {
            times[n] = at;
            rows[n++] = ((long)index << KindBits) | kind;
        }

        var now = Now.ToUnixTimeMilliseconds();
        for (var index = 0; index < plans.Count; index++)
        {
            var plan = plans[index];
            Add(plan.DeclaredAt, index, Declared);
            if (plan.StableAt is { } stable)
            {
                Add(stable, index, ToStable);
            }

            if (plan.ResolvedAt is { } resolved)
            {
                Add(resolved, index, ToResolved);
                if (plan.Status == "completed")
                {
                    Add(resolved + 3_600_000, index, ToCompleted);
                }
            }

            // Messages from just after the declaration to the resolution (or now), plus a little talk after it.
            var end = Math.Min(now - 1_000, (plan.ResolvedAt ?? now) + 600_000);
            for (var m = 0; m < plan.Messages; m++)
            {
                Add(plan.DeclaredAt + 1_000 + (long)(random.NextDouble() * Math.Max(1, end - plan.DeclaredAt - 1_000)), index, Written);
            }
        }

        Array.Sort(times, rows);
        for (var i = 1; i < times.Length; i++)
        {
            times[i] = Math.Max(times[i], times[i - 1] + 1);
        }

        return (times, rows);
    }

    private static GeneratedEntry Automatic(IncidentPlan plan, long kind) => kind switch
    {
        Declared => new("declared", plan.DeclaredBy, $"{plan.Title} declared as {SeverityLabel(plan.Severity)}", null, false, false),
        ToStable => StatusChange(plan, "active", "stable"),
        ToResolved => StatusChange(plan, plan.StableAt is null ? "active" : "stable", "resolved"),
        _ => StatusChange(plan, "resolved", "completed"),
    };

    private static GeneratedEntry StatusChange(IncidentPlan plan, string from, string to) =>
        new("status_changed", plan.Commander, $"Status changed from {from} to {to}", $$"""{"from":"{{from}}","to":"{{to}}"}""", false, false);

    private static string SeverityLabel(int severity) => severity == 0 ? "UNKNOWN" : $"SEV-{severity}";

    private static string SlackTs(long ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{ms / 1000}.{ms % 1000:D3}000");

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in sql.Split([' ', ',', '(', ')', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith('$')).Distinct())
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>One timeline row as generated.</summary>
internal sealed record GeneratedEntry(string Kind, string? Actor, string Text, string? Data, bool InSlack, bool IsBot);

/// <summary>Writes what responders say in a channel, in the words of the incident's failure mode.</summary>
internal sealed class MessageWriter(Random random)
{
    public GeneratedEntry Entry(IncidentPlan plan, int index)
    {
        var mode = plan.Mode;
        if (index == plan.Messages - 1 && plan.ResolvedAt is not null)
        {
            return new("resolution", plan.Commander, Fill("Resolved: " + Pick(mode.Causes) + "; " + Pick(mode.Actions), plan), null, false, false);
        }

        var roll = random.NextDouble();
        var person = Pick(IncidentVocabulary.People);
        return roll switch
        {
            < 0.04 => new("update", plan.Commander, Fill($"Status update: {Pick(mode.Symptoms)}; {Pick(mode.Actions)}", plan), null, false, false),
            < 0.08 => new("action", person, Fill(Pick(mode.Actions), plan), null, false, false),
            < 0.18 => new("message", "B0DATADOG", Fill(Pick(IncidentVocabulary.Alerts), plan), null, true, true),
            < 0.32 => new("message", person, Fill(Pick(mode.Symptoms), plan), null, true, false),
            < 0.36 => new("message", person, Fill(Pick(mode.Causes), plan), null, true, false),
            < 0.46 => new("message", person, Fill(Pick(mode.Actions), plan), null, true, false),
            _ => new("message", person, Fill(Pick(IncidentVocabulary.Chatter), plan), null, true, false),
        };
    }

    private string Pick(string[] choices) => choices[random.Next(choices.Length)];

    private string Fill(string template, IncidentPlan plan)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var text = new StringBuilder(template);
        text.Replace("{svc}", plan.Services[random.Next(plan.Services.Length)]);
        text.Replace("{svc2}", Pick(IncidentVocabulary.AllServices));
        text.Replace("{n}", random.Next(2, 99).ToString(CultureInfo.InvariantCulture));
        text.Replace("{ver}", $"v{random.Next(1, 9)}.{random.Next(0, 40)}.{random.Next(0, 9)}");
        text.Replace("{region}", Pick(IncidentVocabulary.Regions));
        text.Replace("{db}", Pick(IncidentVocabulary.Databases));
        text.Replace("{host}", Pick(IncidentVocabulary.Hosts));
        text.Replace("{team}", Pick(IncidentVocabulary.Teams));
        text.Replace("{person}", Pick(IncidentVocabulary.People));
        return text.ToString();
    }
}
