using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;

namespace IncidentBot.SlackApp;

/// <summary>The assistant's answers as Slack shows them: summaries, related incidents, questions, postmortem drafts.</summary>
public sealed class SlackAssistant(IncidentAssistant assistant, AnswerRenderer renderer, ISlackApiClient slack, ILogger<SlackAssistant> logger)
{
    public async Task<string> SummaryAsync(long number, CancellationToken cancellationToken = default) =>
        await TextAsync(await assistant.SummarizeAsync(number, cancellationToken));

    public async Task<string> RelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) =>
        await TextAsync(await assistant.FindRelatedAsync(request, cancellationToken));

    /// <summary>The question as the assistant reads it, once; <see cref="AssistantQuestion.PostmortemOf"/> says it asks for a draft.</summary>
    public AssistantQuestion Read(string question, long? currentIncident) => assistant.Read(question, currentIncident);

    public async Task<string> AnswerAsync(AssistantQuestion question, string userId, CancellationToken cancellationToken = default) =>
        await TextAsync(await assistant.AnswerAsync(question, userId, cancellationToken));

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
            return await TextAsync(await assistant.DraftPostmortemAsync(incident, userId, cancellationToken));
        }

        var underWay = await slack.Chat.PostMessageAsync(
            new ChatMessage(channel, $":memo: {SlackText.Person(userId)} asked for a postmortem draft of {incident.Reference}; writing it now…"), cancellationToken);
        string outcome;
        try
        {
            outcome = await TextAsync(await assistant.DraftPostmortemAsync(incident, userId, cancellationToken));
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(failure, "{Incident}: drafting the postmortem failed", incident.Reference);
            outcome = $"Sorry, drafting the postmortem of {incident.Reference} failed; nothing was stored. Try again, or see the bot's log.";
        }

        await slack.Chat.UpdateAsync(new MessageUpdate(channel, underWay.Ts, outcome), cancellationToken);
        return null;
    }

    private Task<string> TextAsync(AssistantAnswer answer, CancellationToken cancellationToken = default) =>
        renderer.RenderAsync(answer, AnswerTarget.Slack, cancellationToken);
}
