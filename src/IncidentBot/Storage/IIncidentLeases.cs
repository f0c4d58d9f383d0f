using System.Collections.Concurrent;

namespace IncidentBot.Storage;

/// <summary>Work on an incident that one process at a time may do.</summary>
public enum IncidentWork
{
    /// <summary>Bringing the incident's Slack channel up to date (<c>IncidentChannelSync</c>).</summary>
    SlackChannel = 1,
}

/// <summary>
/// Leases on work for one incident, so that of several replicas only one does it at a time. A lease is held until
/// it is disposed, or its process dies: then another replica may take it at once.
/// </summary>
public interface IIncidentLeases
{
    /// <summary>The lease, or null while another holder has it.</summary>
    Task<IAsyncDisposable?> TryTakeAsync(IncidentWork work, long number, CancellationToken cancellationToken = default);
}

/// <summary>Leases within this process: enough where one process owns the database (SQLite).</summary>
public sealed class LocalIncidentLeases : IIncidentLeases
{
    private readonly ConcurrentDictionary<(IncidentWork, long), Lease> held = new();

    public Task<IAsyncDisposable?> TryTakeAsync(IncidentWork work, long number, CancellationToken cancellationToken = default)
    {
        var lease = new Lease(this, (work, number));
        return Task.FromResult<IAsyncDisposable?>(held.TryAdd(lease.Key, lease) ? lease : null);
    }

    private sealed class Lease(LocalIncidentLeases leases, (IncidentWork, long) key) : IAsyncDisposable
    {
        public (IncidentWork, long) Key => key;

        public ValueTask DisposeAsync()
        {
            leases.held.TryRemove(new KeyValuePair<(IncidentWork, long), Lease>(key, this));
            return ValueTask.CompletedTask;
        }
    }
}
