using System.Collections.Concurrent;
using System.Threading.Channels;
using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>
/// Takes note of the messages people write in incident channels, as the core stores them, and hands
/// <see cref="WelcomeBack"/> the ones that may be someone's first after being away: any message, once it has
/// been longer than <see cref="CatchupOptions.AwayAfter"/> since this process saw that person write in that incident.
/// Whether they really were away is decided there, from the timeline; here nothing is read, so storing stays fast.
/// </summary>
public sealed class ReturnWatch(IOptions<CatchupOptions> options, TimeProvider time) : IIncidentObserver
{
    /// <summary>A message further than this from now when stored was read back from the channel's history, not written just now.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMinutes(5);

    private readonly Channel<(long Number, TimelineEntry Message)> candidates =
        Channel.CreateBounded<(long, TimelineEntry)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly ConcurrentDictionary<(long Number, string User), DateTimeOffset> lastWrote = new();

    public void OnChanged(IncidentChanged change)
    {
    }

    public void OnMessage(long number, TimelineEntry entry)
    {
        var away = options.Value.AwayAfter;
        if (!options.Value.WelcomesBack || entry is not { Kind: TimelineEntryKind.Message, Slack.IsBot: false, ActorId: { } user, EditedAt: null, DeletedAt: null }
            || (time.GetUtcNow() - entry.OccurredAt).Duration() > LiveWindow)
        {
            return;
        }

        var seenBefore = lastWrote.TryGetValue((number, user), out var previous);
        Seen(number, user, entry.OccurredAt);
        if (!seenBefore || entry.OccurredAt - previous >= away)
        {
            candidates.Writer.TryWrite((number, entry));
        }
    }

    /// <summary>The person was there at <paramref name="at"/> (wrote, or was told what changed): their next messages are not a return.</summary>
    public void Seen(long number, string user, DateTimeOffset at) =>
        lastWrote.AddOrUpdate((number, user), at, (_, earlier) => earlier > at ? earlier : at);

    public IAsyncEnumerable<(long Number, TimelineEntry Message)> ReadAllAsync(CancellationToken cancellationToken) =>
        candidates.Reader.ReadAllAsync(cancellationToken);
}
