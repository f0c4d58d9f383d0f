using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>
/// Someone joining a busy incident channel gets a summary only they see, so they need not scroll back. Someone joining
/// it again (the timeline has an entry of theirs from before, such as their leaving) gets what changed since instead,
/// when anything did (<see cref="WelcomeBack"/>).
/// </summary>
public sealed class JoinerSummary(
    IIncidentReader incidents, IncidentChannels channels, SlackAssistant assistant, ISlackApiClient slack, SlackIdentity identity,
    WelcomeBack welcomeBack, IOptions<CatchupOptions> catchup, ILogger<JoinerSummary> logger) : IEventHandler<MemberJoinedChannel>
{
    public const int MinMessages = 10;

    /// <summary>The channel_join message of this very join may carry a slightly earlier time than the event; it is not "before".</summary>
    private static readonly TimeSpan JoinNotice = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(MemberJoinedChannel joined, EventContext context, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        if (bot.IsSelf(joined.User, null) || await channels.FindIncidentAsync(joined.Channel, cancellationToken) is not { } number)
        {
            return;
        }

        var before = new TimelineCursor(context.EventTime - JoinNotice, 0);
        if (await incidents.GetLastEntryByAsync(number, joined.User, before, cancellationToken) is not null)
        {
            if (catchup.Value.WelcomesBack)
            {
                await welcomeBack.GreetAsync(number, joined.Channel, joined.User, before, cancellationToken);
            }

            return;
        }

        if (await incidents.CountMessagesAsync(number, cancellationToken) < MinMessages)
        {
            return;
        }

        var reference = IncidentReference.Format(number);
        var summary = await assistant.SummaryAsync(number, cancellationToken);
        try
        {
            await slack.Chat.PostEphemeralAsync(joined.User, new ChatMessage(joined.Channel, $"Welcome to {reference}. Here is where it stands:\n{summary}"), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogInformation("Could not give {User} the summary of {Incident}: {Error}", joined.User, reference, refused.Error);
        }
    }
}
