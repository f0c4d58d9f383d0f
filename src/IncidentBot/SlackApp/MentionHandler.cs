using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Incidents;
using IncidentBot.Incidents.Mentions;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// <c>@IncidentBot &lt;words&gt;</c>. State changes come from the deterministic grammar only; anything else
/// is a question for the assistant. Answers only the person who asked, except for what changes an incident,
/// which the incident channel hears through the change line.
/// </summary>
public sealed class MentionHandler(
    IncidentService incidents,
    IIncidentReader reader,
    IncidentChannels channels,
    SlackAssistant assistant,
    ISlackApiClient slack,
    SlackIdentity identity,
    ILogger<MentionHandler> logger)
    : IEventHandler<AppMention>
{
    public async Task HandleAsync(AppMention mention, EventContext context, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        if (bot.IsSelf(mention.User, null))
        {
            return;
        }

        var here = await channels.FindIncidentAsync(mention.Channel, cancellationToken);
        var reply = MentionGrammar.Parse(mention.Text, bot.UserId) switch
        {
            DeclareIntent declare => await DeclareAsync(declare, mention, cancellationToken),
            ChangeStatusIntent status => await ChangeAsync(here, mention, Edit(status), cancellationToken),
            ChangeSeverityIntent severity => await ChangeAsync(here, mention, new IncidentEdit { Severity = severity.Severity }, cancellationToken),
            ChangeCommanderIntent commander => await ChangeAsync(here, mention, new IncidentEdit { CommanderId = commander.UserId }, cancellationToken),
            HelpIntent => MentionHelp,
            QuestionIntent question => await AskAsync(question.Question, here, mention, cancellationToken),
            _ => MentionHelp,
        };
        if (reply is not null)
        {
            await ReplyAsync(mention, reply, cancellationToken);
        }
    }

    /// <summary>The answer goes in the mention's thread, where everyone in the channel can read it.</summary>
    private async Task<string?> AskAsync(string question, long? here, AppMention mention, CancellationToken cancellationToken)
    {
        var asked = assistant.Read(question, here);
        if (here is not null && asked.PostmortemOf is { } number)
        {
            return await assistant.DraftPostmortemAsync(await reader.GetRequiredAsync(number, cancellationToken), mention.User, cancellationToken);
        }

        if (asked is { Kind: QuestionKind.Catchup, Incident: { } missed })
        {
            // Only the asker's; their mention, stored as a message too, is not their last look.
            var asking = SlackTs.TimeOf(mention.Ts) is { } askedAt ? new TimelineCursor(askedAt, 0) : null;
            return await assistant.CatchUpAsync(new CatchupRequest(missed, mention.User, asked.Since, asking), cancellationToken);
        }

        var answer = await assistant.AnswerAsync(asked, mention.User, cancellationToken);
        await slack.Chat.PostMessageAsync(new ChatMessage(mention.Channel, answer) { ThreadTs = mention.ThreadTs ?? mention.Ts }, cancellationToken);
        return null;
    }

    private const string MentionHelp =
        "In an incident channel I understand: _mark this incident stable_, _resolve this incident: <summary>_, " +
        "_update this incident to SEV-2_, _make @someone the commander_. Anywhere: _declare an incident about <title>_. " +
        "`/incident help` lists the slash commands.";

    private static IncidentEdit Edit(ChangeStatusIntent status) => new()
    {
        Status = status.Status,
        ResolutionSummary = status.Status == IncidentStatus.Resolved ? status.Summary : null,
        MitigationSummary = status.Status == IncidentStatus.Stable ? status.Summary : null,
    };

    private async Task<string?> DeclareAsync(DeclareIntent declare, AppMention mention, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(declare.Title))
        {
            return "What is the incident about? Say e.g. _declare an incident about checkout failing for EU customers_, or use `/incident declare`.";
        }

        var incident = await incidents.DeclareAsync(new IncidentDraft
        {
            Title = declare.Title,
            DeclaredBy = mention.User,
            CommanderId = mention.User,
        }, cancellationToken);
        return $"Declared *{incident.Reference}: {SlackText.Escape(incident.Title)}*. Its channel is being opened and you are invited.";
    }

    private async Task<string?> ChangeAsync(long? here, AppMention mention, IncidentEdit edit, CancellationToken cancellationToken)
    {
        if (here is not { } number)
        {
            return "This is not an incident channel. Ask me in the incident's channel, or use `/incident <command> INC-<n>` here.";
        }

        try
        {
            var update = await incidents.EditAsync(number, edit, mention.User, cancellationToken: cancellationToken);
            return update.Changed ? null : IncidentReplies.NothingChanged(update.After);
        }
        catch (Exception refused) when (refused is IncidentValidationException or IncidentConflictException)
        {
            return refused.Message;
        }
    }

    private async Task ReplyAsync(AppMention mention, string text, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Chat.PostEphemeralAsync(mention.User, new ChatMessage(mention.Channel, text) { ThreadTs = mention.ThreadTs }, cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("Could not answer {User} in {Channel}: {Error}", mention.User, mention.Channel, refused.Error);
        }
    }
}
