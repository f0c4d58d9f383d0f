using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>Someone joining a busy incident channel gets a summary only they see, so they need not scroll back.</summary>
public sealed class JoinerSummary(
    IIncidentReader incidents, IncidentChannels channels, SlackAssistant assistant, ISlackApiClient slack, SlackIdentity identity,
    ILogger<JoinerSummary> logger) : IEventHandler<MemberJoinedChannel>
{
    public const int MinMessages = 10;

    public async Task HandleAsync(MemberJoinedChannel joined, EventContext context, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        if (bot.IsSelf(joined.User, null) || await channels.FindIncidentAsync(joined.Channel, cancellationToken) is not { } number
            || await incidents.CountMessagesAsync(number, cancellationToken) < MinMessages)
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
