using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>The App Home tab: the open incidents with their state and channels, and the viewer's own recent incidents.</summary>
public sealed class AppHome(IIncidentReader incidents, ISlackApiClient slack, PrivateIncidentMembers members, TimeProvider time)
    : IEventHandler<AppHomeOpened>
{
    // A view holds at most 100 blocks; two lists of these sizes and their headers stay well inside that.
    private const int MaxOpen = 40;
    private const int MaxMine = 10;

    public async Task HandleAsync(AppHomeOpened opened, EventContext context, CancellationToken cancellationToken)
    {
        if (opened.Tab != "home")
        {
            return;
        }

        // The tab is the user's own: it shows the private incidents they are a member of.
        using var audience = IncidentViewer.As(await members.OfUserAsync(opened.User, cancellationToken));
        var open = await incidents.FindAsync(IncidentFilter.Open(MaxOpen + 1), cancellationToken);
        var mine = await incidents.FindAsync(new IncidentFilter { InvolvingUser = opened.User, Limit = MaxMine }, cancellationToken);
        await slack.Views.PublishAsync(opened.User, new HomeView(Blocks(open, mine, time.GetUtcNow())), cancellationToken: cancellationToken);
    }

    public static IReadOnlyList<Block> Blocks(IReadOnlyList<Incident> open, IReadOnlyList<Incident> mine, DateTimeOffset now)
    {
        var blocks = new List<Block> { new HeaderBlock(TextObject.Plain($"Open incidents ({(open.Count > MaxOpen ? $"{MaxOpen}+" : open.Count)})")) };
        blocks.AddRange(open.Count == 0
            ? [new SectionBlock { Text = TextObject.Markdown("No open incidents. :tada:") }]
            : open.Take(MaxOpen).Select(incident => Row(incident, now)));
        if (open.Count > MaxOpen)
        {
            blocks.Add(new ContextBlock([TextObject.Markdown("More are open: `/incident list` shows them.")]));
        }

        blocks.Add(new DividerBlock());
        blocks.Add(new HeaderBlock(TextObject.Plain("Your recent incidents")));
        blocks.AddRange(mine.Count == 0
            ? [new SectionBlock { Text = TextObject.Markdown("None that you declared or led.") }]
            : mine.Select(incident => Row(incident, now)));
        blocks.Add(new ContextBlock([TextObject.Markdown($"Updated {SlackText.Time(now)} · `/incident declare` to declare one")]));
        return blocks;
    }

    private static SectionBlock Row(Incident incident, DateTimeOffset now)
    {
        var commander = incident.CommanderId is null ? "no commander" : SlackText.Person(incident.CommanderId);
        var channel = incident.ChannelId is null ? "" : $" · {SlackText.Channel(incident.ChannelId)}";
        var age = SlackText.Duration((incident.ResolvedAt ?? now) - incident.DeclaredAt);
        return new SectionBlock
        {
            Text = TextObject.Markdown(
                $"*{incident.Reference}: {SlackText.Escape(SlackText.Truncate(incident.Title, 150))}*\n" +
                $"{incident.Severity.ToLabel()} · {incident.Status.ToLabel()} · {commander} · {age}{channel}"),
        };
    }
}
