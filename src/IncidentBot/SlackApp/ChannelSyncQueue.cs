using System.Collections.Concurrent;
using System.Threading.Channels;
using IncidentBot.Incidents;

namespace IncidentBot.SlackApp;

/// <summary>
/// The incidents whose channel should be brought up to date, each at most once in the queue, with the newest
/// committed state a change handed over, so <see cref="IncidentChannelSync"/> need not read it again.
/// Several incidents may be worked on at once, one incident never twice at once: an incident changed while
/// it is being worked on is handed out again when that work is <see cref="Done"/>.
/// </summary>
public sealed class ChannelSyncQueue : IIncidentObserver
{
    private readonly Channel<long> due = Channel.CreateUnbounded<long>();
    private readonly ConcurrentDictionary<long, Waiting> queued = new();
    private readonly HashSet<long> working = [];
    private readonly Lock handOut = new();

    /// <summary>A new change is worth a try at once, even while an earlier failure waits for its retry.</summary>
    public void OnChanged(IncidentChanged change) => Add(change.Incident.Number, ignoreBackoff: true, change.Incident);

    /// <param name="ignoreBackoff">Try even while a retry after a failure is scheduled.</param>
    public void Add(long number, bool ignoreBackoff, Incident? committed = null)
    {
        var added = false;
        queued.AddOrUpdate(
            number,
            _ =>
            {
                added = true;
                return new Waiting(ignoreBackoff, committed);
            },
            (_, earlier) => new Waiting(earlier.IgnoreBackoff || ignoreBackoff, Newer(earlier.Committed, committed)));
        if (added)
        {
            due.Writer.TryWrite(number);
        }
    }

    public async IAsyncEnumerable<(long Number, bool IgnoreBackoff, Incident? Committed)> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var number in due.Reader.ReadAllAsync(cancellationToken))
        {
            if (TryHandOut(number) is { } waiting)
            {
                yield return (number, waiting.IgnoreBackoff, waiting.Committed);
            }
        }
    }

    /// <summary>The work on an incident handed out by <see cref="ReadAllAsync"/> has ended.</summary>
    public void Done(long number)
    {
        lock (handOut)
        {
            working.Remove(number);
            if (queued.ContainsKey(number))
            {
                due.Writer.TryWrite(number);
            }
        }
    }

    private Waiting? TryHandOut(long number)
    {
        lock (handOut)
        {
            if (working.Contains(number) || !queued.TryRemove(number, out var waiting))
            {
                return null; // Done hands it out again.
            }

            working.Add(number);
            return waiting;
        }
    }

    /// <summary>
    /// Of two states handed over, the later one: a higher version, or at the same version the one with the channel
    /// (recording the channel keeps the version). Unknown (null) when either is unknown, so the store is read.
    /// </summary>
    private static Incident? Newer(Incident? earlier, Incident? later) =>
        earlier is null || later is null ? null
        : later.Version > earlier.Version || (later.Version == earlier.Version && later.ChannelId is not null) ? later
        : earlier;

    private sealed record Waiting(bool IgnoreBackoff, Incident? Committed);
}
