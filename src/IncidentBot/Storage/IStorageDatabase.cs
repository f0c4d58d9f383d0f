using System.Data.Common;

namespace IncidentBot.Storage;

/// <summary>
/// What the stores written once for both providers (<see cref="SlackSyncStore"/>, <see cref="ReminderStore"/>,
/// <see cref="DoraOutbox"/>, the shared part of <see cref="SlackInboxStore"/>) need of the database.
/// </summary>
/// <remarks>
/// On SQLite a write joins the writes arriving with it in one transaction (group commit); on PostgreSQL each is a
/// transaction of its own. The SQL they run is the same on both, but for <see cref="SkipLockedRows"/>.
/// </remarks>
public interface IStorageDatabase
{
    /// <summary>A connection to read on; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="write"/> in a write transaction and returns once it is committed; nothing is written if it throws.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, WriteLane lane, CancellationToken cancellationToken = default);

    /// <summary>
    /// What ends a <c>SELECT</c> whose rows a write claims, so another replica claiming at once skips them instead of
    /// taking them too: <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, nothing on SQLite, whose writes never overlap.
    /// </summary>
    string SkipLockedRows { get; }
}

/// <summary>Whether someone waits for a write to be committed.</summary>
public enum WriteLane
{
    /// <summary>A caller waits: a Slack acknowledgement, a command, a REST request.</summary>
    Waiting,

    /// <summary>Work nobody waits on; it may be committed a little later.</summary>
    Background,
}
