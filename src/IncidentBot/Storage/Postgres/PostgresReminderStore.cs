using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage.Postgres;

/// <summary>Reminders on PostgreSQL: a claim is one conditional upsert, so of several replicas exactly one takes it.</summary>
public sealed class PostgresReminderStore(PostgresDatabase database) : IReminderStore
{
    public async Task<bool> ClaimAsync(
        long number, DateTimeOffset lastUpdate, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            INSERT INTO incident_reminders AS r (incident_number, reminded_at) VALUES (@Number, @Now)
            ON CONFLICT (incident_number) DO UPDATE SET reminded_at = excluded.reminded_at
                WHERE r.snoozed_until <= @Now AND (r.reminded_at < @LastUpdate OR r.reminded_at <= @Now - @Interval)
            RETURNING incident_number;
            """,
            new { Number = number, Now = UnixMs.From(now), LastUpdate = UnixMs.From(lastUpdate), Interval = (long)interval.TotalMilliseconds },
            cancellationToken: cancellationToken)) is not null;
    }

    public async Task ReleaseAsync(long number, DateTimeOffset remindedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE incident_reminders SET reminded_at = 0 WHERE incident_number = @Number AND reminded_at = @RemindedAt;",
            new { Number = number, RemindedAt = UnixMs.From(remindedAt) }, cancellationToken: cancellationToken));
    }

    public async Task SnoozeAsync(long number, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO incident_reminders (incident_number, snoozed_until) VALUES (@Number, @Until)
            ON CONFLICT (incident_number) DO UPDATE SET snoozed_until = excluded.snoozed_until;
            """, new { Number = number, Until = UnixMs.From(until) }, cancellationToken: cancellationToken));
    }

    public async Task<bool> ClaimFollowUpReminderAsync(string ownerId, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            INSERT INTO followup_reminders AS r (owner_id, reminded_at) VALUES (@Owner, @Now)
            ON CONFLICT (owner_id) DO UPDATE SET reminded_at = excluded.reminded_at WHERE r.reminded_at <= @Now - @Interval
            RETURNING owner_id;
            """,
            new { Owner = ownerId, Now = UnixMs.From(now), Interval = (long)interval.TotalMilliseconds },
            cancellationToken: cancellationToken)) is not null;
    }

    public async Task ReleaseFollowUpReminderAsync(string ownerId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE followup_reminders SET reminded_at = 0 WHERE owner_id = @Owner AND reminded_at = @RemindedAt;",
            new { Owner = ownerId, RemindedAt = UnixMs.From(remindedAt) }, cancellationToken: cancellationToken));
    }
}
