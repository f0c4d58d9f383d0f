using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>The Slack channels' progress in <c>incident_slack_sync</c>, the same SQL on both providers.</summary>
public sealed class SlackSyncStore(IStorageDatabase database) : ISlackSyncStore
{
    public async Task<SlackSyncState?> GetAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SyncRow>(new CommandDefinition("""
            SELECT incident_number, card_ts, card_version, topic, lines_through_entry_id, announced_through_entry_id,
                attempts, next_attempt_at, last_error
            FROM incident_slack_sync WHERE incident_number = @Number;
            """, new { Number = number }, cancellationToken: cancellationToken));
        return row?.ToState();
    }

    public Task SaveAsync(SlackSyncState state, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO incident_slack_sync (incident_number, card_ts, card_version, topic, lines_through_entry_id,
                announced_through_entry_id, attempts, next_attempt_at, last_error)
            VALUES (@IncidentNumber, @CardTs, @CardVersion, @Topic, @LinesThroughEntryId, @AnnouncedThroughEntryId,
                @Attempts, @NextAttemptAt, @LastError)
            ON CONFLICT (incident_number) DO UPDATE SET card_ts = excluded.card_ts, card_version = excluded.card_version,
                topic = excluded.topic, lines_through_entry_id = excluded.lines_through_entry_id,
                announced_through_entry_id = excluded.announced_through_entry_id, attempts = excluded.attempts,
                next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error;
            """, SyncRow.From(state), transaction, cancellationToken: cancellationToken)), WriteLane.Background, cancellationToken);

    public async Task<IReadOnlyList<long>> ListBehindAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var numbers = await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT i.number FROM incidents i LEFT JOIN incident_slack_sync s ON s.incident_number = i.number
            WHERE (i.channel_id IS NULL AND i.status IN ('active', 'stable'))
               OR (i.channel_id IS NOT NULL AND (
                    s.incident_number IS NULL OR s.card_version < i.version
                    OR EXISTS (SELECT 1 FROM timeline_entries t
                               WHERE t.incident_number = i.number AND t.id > s.lines_through_entry_id
                                 AND t.kind NOT IN ('message', 'member_joined'))))
            ORDER BY i.number LIMIT @Limit;
            """, new { Limit = limit }, cancellationToken: cancellationToken));
        return numbers.ToList();
    }

    private sealed class SyncRow
    {
        public long IncidentNumber { get; set; }
        public string? CardTs { get; set; }
        public long CardVersion { get; set; }
        public string? Topic { get; set; }
        public long LinesThroughEntryId { get; set; }
        public long AnnouncedThroughEntryId { get; set; }
        public long Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public string? LastError { get; set; }

        public static SyncRow From(SlackSyncState state) => new()
        {
            IncidentNumber = state.IncidentNumber,
            CardTs = state.CardTs,
            CardVersion = state.CardVersion,
            Topic = state.Topic,
            LinesThroughEntryId = state.LinesThroughEntryId,
            AnnouncedThroughEntryId = state.AnnouncedThroughEntryId,
            Attempts = state.Attempts,
            NextAttemptAt = UnixMs.From(state.NextAttemptAt),
            LastError = state.LastError,
        };

        public SlackSyncState ToState() => new(IncidentNumber)
        {
            CardTs = CardTs,
            CardVersion = CardVersion,
            Topic = Topic,
            LinesThroughEntryId = LinesThroughEntryId,
            AnnouncedThroughEntryId = AnnouncedThroughEntryId,
            Attempts = (int)Attempts,
            NextAttemptAt = UnixMs.To(NextAttemptAt),
            LastError = LastError,
        };
    }
}
