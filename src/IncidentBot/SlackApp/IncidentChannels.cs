using System.Collections.Concurrent;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// Which incident a channel belongs to, remembered once known: an incident's channel never changes, so
/// every message of a busy channel need not ask the store again. Channels of no incident are asked
/// each time, since one may become an incident's at any moment.
/// </summary>
public sealed class IncidentChannels(IIncidentReader incidents)
{
    private readonly ConcurrentDictionary<string, long> known = new(StringComparer.Ordinal);

    public async Task<long?> FindIncidentAsync(string channelId, CancellationToken cancellationToken = default)
    {
        if (known.TryGetValue(channelId, out var number))
        {
            return number;
        }

        var found = await incidents.FindNumberByChannelAsync(channelId, cancellationToken);
        if (found is { } incident)
        {
            known[channelId] = incident;
        }

        return found;
    }
}
