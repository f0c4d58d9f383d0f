using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;

namespace IncidentBot.SlackApp;

/// <summary>The assistant's answers as Slack shows them: summaries, related incidents, questions, postmortem drafts.</summary>
public sealed class SlackAssistant(IncidentAssistant assistant, ISlackApiClient slack, ILogger<SlackAssistant> logger)
{
    // Slack refuses message text over 40,000 characters.
    private const int MaxText = 39_000;

    public async Task<string> SummaryAsync(long number, CancellationToken cancellationToken = default) =>
        Text(await assistant.SummarizeAsync(number, cancellationToken));

    public async Task<string> CatchUpAsync(CatchupRequest request, CancellationToken cancellationToken = default) =>
        Text(await assistant.CatchUpAsync(request, cancellationToken));

    /// <summary>The catch-up, or null when nothing is new: for a greeting nobody asked for.</summary>
    public async Task<string?> CatchUpIfAnythingNewAsync(CatchupRequest request, CancellationToken cancellationToken = default) =>
        await assistant.CatchUpAsync(request, cancellationToken) is { NothingNew: false } answer ? Text(answer) : null;

    public async Task<string> RelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) =>
        Text(await assistant.FindRelatedAsync(request, cancellationToken));

    /// <summary>The question as the assistant reads it, once; <see cref="AssistantQuestion.PostmortemOf"/> says it asks for a draft.</summary>
    public AssistantQuestion Read(string question, long? currentIncident) => assistant.Read(question, currentIncident);

    public async Task<string> AnswerAsync(AssistantQuestion question, string userId, CancellationToken cancellationToken = default) =>
        Text(await assistant.AnswerAsync(question, userId, cancellationToken));

    /// <summary>
    /// Drafts the postmortem where the team sees it: a message in the incident channel says it is under way
    /// and is replaced by the draft (or by why none could be written) when done.
    /// </summary>
    /// <returns>A reply for the requester alone, or null when the channel shows the outcome.</returns>
    public async Task<string?> DraftPostmortemAsync(Incident incident, string userId, CancellationToken cancellationToken = default)
    {
        if (IncidentAssistant.RefusesPostmortem(incident) is { } refusal)
        {
            return refusal;
        }

        if (incident.ChannelId is not { } channel)
        {
            return Text(await assistant.DraftPostmortemAsync(incident, userId, cancellationToken));
        }

        var underWay = await slack.Chat.PostMessageAsync(
            new ChatMessage(channel, $":memo: {SlackText.Person(userId)} asked for a postmortem draft of {incident.Reference}; writing it now…"), cancellationToken);
        string outcome;
        try
        {
            outcome = Text(await assistant.DraftPostmortemAsync(incident, userId, cancellationToken));
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(failure, "{Incident}: drafting the postmortem failed", incident.Reference);
            outcome = $"Sorry, drafting the postmortem of {incident.Reference} failed; nothing was stored. Try again, or see the bot's log.";
        }

        await slack.Chat.UpdateAsync(new MessageUpdate(channel, underWay.Ts, outcome), cancellationToken);
        return null;
    }

    /// <summary>The answer, with a note when a model failed and the deterministic engine answered instead.</summary>
    private static string Text(AssistantAnswer answer)
    {
        var text = answer.FallbackReason is { } reason ? $"{answer.Text}\n_{reason}_" : answer.Text;
        return SlackText.Truncate(text, MaxText);
    }
}
