using System.Data;
using Dapper;
using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>The reads of <see cref="IIncidentStore.ImportAsync"/>, the same on SQLite and PostgreSQL, inside its transaction.</summary>
internal static class IncidentImportQueries
{
    /// <summary>
    /// The incident of a channel: the one declared in it, or the one holding its messages (imported before). The
    /// timeline's unique (channel, ts) index answers the second without a scan.
    /// </summary>
    public static Task<long?> FindChannelIncidentAsync(
        IDbConnection connection, IDbTransaction transaction, string channelId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT number FROM incidents WHERE channel_id = @ChannelId
            UNION ALL
            SELECT incident_number FROM timeline_entries WHERE slack_channel_id = @ChannelId AND slack_ts IS NOT NULL
            LIMIT 1;
            """, new { ChannelId = channelId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// What is written before the messages: the incident with the number asked for when no incident has it (else 0, for
    /// the next one), and its declaration entry. The entries after it (the resolution) follow the messages
    /// (<see cref="AfterMessages"/>), so at equal times the timeline still reads in that order.
    /// </summary>
    public static async Task<IncidentChange> DeclarationAsync(
        IDbConnection connection, IDbTransaction transaction, IncidentImport import, CancellationToken cancellationToken)
    {
        var free = import.Number is { } wanted && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM incidents WHERE number = @Number);", new { Number = wanted }, transaction, cancellationToken: cancellationToken));
        return new IncidentChange(import.Declaration.Incident with { Number = free ? import.Number!.Value : 0 }, [.. import.Declaration.Entries.Take(1)]);
    }

    public static IReadOnlyList<NewTimelineEntry> AfterMessages(IncidentImport import) => [.. import.Declaration.Entries.Skip(1)];
}
