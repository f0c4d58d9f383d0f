using IncidentBot.Assistant.Catchup;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>
/// Someone coming back to an incident channel gets, once and only they see it, what changed since they were last
/// there (<c>/incident catchup</c>'s answer), when anything did. Coming back is, from the events the bot gets:
/// their first message after more than <see cref="CatchupOptions.AwayAfter"/> without any entry of theirs in the
/// timeline (<see cref="ReturnWatch"/> picks the candidates), or their joining the channel again (<see cref="JoinerSummary"/>).
/// A message that asks the bot something is answered by the mention instead.
/// </summary>
public sealed class WelcomeBack(
    ReturnWatch watch,
    IIncidentReader reader,
    SlackAssistant assistant,
    ISlackApiClient slack,
    SlackIdentity identity,
    IOptions<CatchupOptions> options,
    ILogger<WelcomeBack> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (number, message) in watch.ReadAllAsync(stoppingToken))
        {
            try
            {
                await GreetIfBackAsync(number, message, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not tell {User} what changed in {Incident}", message.ActorId, IncidentReference.Format(number));
            }
        }
    }

    /// <summary>Sends the catch-up after <paramref name="before"/> when anything is new; false when nothing was.</summary>
    public async Task<bool> GreetAsync(long number, string channel, string user, TimelineCursor before, CancellationToken cancellationToken)
    {
        if (await assistant.CatchUpIfAnythingNewAsync(new CatchupRequest(number, user, Before: before), cancellationToken) is not { } text)
        {
            return false;
        }

        watch.Seen(number, user, before.OccurredAt);
        try
        {
            await slack.Chat.PostEphemeralAsync(user, new ChatMessage(channel, $"Welcome back to {IncidentReference.Format(number)}. While you were away:\n{text}"), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogInformation("Could not tell {User} what changed in {Incident}: {Error}", user, IncidentReference.Format(number), refused.Error);
        }

        return true;
    }

    private async Task GreetIfBackAsync(long number, TimelineEntry message, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        if (message is not { ActorId: { } user, Slack.ChannelId: { } channel }
            || SlackMarkup.UserMentions(message.Text).Any(mentioned => mentioned.Value == bot.UserId)
            || SlackMessageEntries.IsLeaveNotice(message.Text))
        {
            return;
        }

        var before = TimelineCursor.Of(message);
        var previous = await reader.GetLastEntryByAsync(number, user, before, cancellationToken);
        if (previous is not null && message.OccurredAt - previous.OccurredAt >= options.Value.AwayAfter)
        {
            await GreetAsync(number, channel, user, before, cancellationToken);
        }
    }
}
