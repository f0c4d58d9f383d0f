using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>Reminders in <c>incident_reminders</c>: a claim is one conditional upsert, so of several replicas exactly one takes it.</summary>
public sealed class ReminderStore(IStorageDatabase database) : IReminderStore
{
    public Task<bool> ClaimAsync(
        long number, DateTimeOffset lastUpdate, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            INSERT INTO incident_reminders AS r (incident_number, reminded_at) VALUES (@Number, @Now)
            ON CONFLICT (incident_number) DO UPDATE SET reminded_at = excluded.reminded_at
                WHERE r.snoozed_until <= @Now AND (r.reminded_at < @LastUpdate OR r.reminded_at <= @Now - @Interval)
            RETURNING incident_number;
            """,
            new { Number = number, Now = UnixMs.From(now), LastUpdate = UnixMs.From(lastUpdate), Interval = (long)interval.TotalMilliseconds },
            transaction,
            cancellationToken: cancellationToken)) is not null, WriteLane.Waiting, cancellationToken);

    public Task ReleaseAsync(long number, DateTimeOffset remindedAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE incident_reminders SET reminded_at = 0 WHERE incident_number = @Number AND reminded_at = @RemindedAt;",
            new { Number = number, RemindedAt = UnixMs.From(remindedAt) }, transaction, cancellationToken: cancellationToken)), WriteLane.Waiting, cancellationToken);

    public Task SnoozeAsync(long number, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO incident_reminders (incident_number, snoozed_until) VALUES (@Number, @Until)
            ON CONFLICT (incident_number) DO UPDATE SET snoozed_until = excluded.snoozed_until;
            """, new { Number = number, Until = UnixMs.From(until) }, transaction, cancellationToken: cancellationToken)), WriteLane.Waiting, cancellationToken);
}
