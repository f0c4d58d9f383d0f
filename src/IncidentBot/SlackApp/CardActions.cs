using System.Collections.Concurrent;
using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// The buttons of the incident card. Only members of the incident channel may use them (anyone may
/// read a public channel without joining it); a second click within a few seconds is taken as a
/// double click and ignored.
/// </summary>
public sealed class CardActions(
    IncidentService incidents, IIncidentReader reader, SlackAssistant assistant, ISlackApiClient slack, RecentClicks recentClicks, ILogger<CardActions> logger)
    : IBlockActionHandler
{
    public const string MarkStable = "incident_mark_stable";
    public const string Resolve = "incident_resolve";
    public const string ChangeSeverity = "incident_change_severity";
    public const string Summary = "incident_summary";
    public const string DraftPostmortem = "incident_draft_postmortem";
    public const string AddFollowUp = "incident_add_followup";

    /// <summary>The card's actions block id carries the incident number: <c>incident_card:42</c>.</summary>
    public const string BlockIdPrefix = "incident_card:";

    public static IReadOnlyList<string> ActionIds { get; } = [MarkStable, Resolve, ChangeSeverity, Summary, DraftPostmortem, AddFollowUp];

    public async Task HandleAsync(BlockAction action, BlockActionsPayload payload, CancellationToken cancellationToken)
    {
        var user = payload.User.Id;
        var channel = payload.Channel?.Id ?? payload.Container.ChannelId;
        if (channel is null || !TryReadNumber(action.BlockId, out var number) || !recentClicks.IsFirst(user, action, payload.Container.MessageTs))
        {
            return;
        }

        var incident = await reader.GetRequiredAsync(number, cancellationToken);
        if (incident.ChannelId is { } incidentChannel && !await IsMemberAsync(incidentChannel, user, cancellationToken))
        {
            await ReplyAsync(user, channel, $"Only members of {SlackText.Channel(incidentChannel)} can change {incident.Reference}. Join the channel first.", cancellationToken);
            return;
        }

        var reply = action.ActionId switch
        {
            MarkStable => await ChangeAsync(number, new IncidentEdit { Status = IncidentStatus.Stable }, user, cancellationToken),
            Resolve => await ChangeAsync(number, new IncidentEdit { Status = IncidentStatus.Resolved }, user, cancellationToken),
            ChangeSeverity when SeverityText.TryParse(action.SelectedOption?.Value, out var severity) =>
                await ChangeAsync(number, new IncidentEdit { Severity = severity }, user, cancellationToken),
            Summary => await assistant.SummaryAsync(number, cancellationToken),
            DraftPostmortem => await assistant.DraftPostmortemAsync(incident, user, cancellationToken),
            AddFollowUp when payload.TriggerId is { } trigger => await OpenFollowUpFormAsync(trigger, number, cancellationToken),
            _ => null,
        };
        if (reply is not null)
        {
            await ReplyAsync(user, channel, reply, cancellationToken);
        }
    }

    private async Task<string?> ChangeAsync(long number, IncidentEdit edit, string user, CancellationToken cancellationToken)
    {
        var update = await incidents.EditAsync(number, edit, user, cancellationToken: cancellationToken);
        return update.Changed ? null : IncidentReplies.NothingChanged(update.After);
    }

    private async Task<string?> OpenFollowUpFormAsync(string trigger, long number, CancellationToken cancellationToken)
    {
        await slack.Views.OpenAsync(trigger, FollowUpModal.Build(number), cancellationToken);
        return null;
    }

    private async Task<bool> IsMemberAsync(string channel, string user, CancellationToken cancellationToken)
    {
        await foreach (var member in slack.Conversations.EnumerateMembersAsync(channel, cancellationToken: cancellationToken))
        {
            if (member == user)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ReplyAsync(string user, string channel, string text, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Chat.PostEphemeralAsync(user, new ChatMessage(channel, text), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("Could not answer {User} in {Channel}: {Error}", user, channel, refused.Error);
        }
    }

    private static bool TryReadNumber(string blockId, out long number)
    {
        number = 0;
        return blockId.StartsWith(BlockIdPrefix, StringComparison.Ordinal)
               && long.TryParse(blockId.AsSpan(BlockIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}

/// <summary>Remembers clicks for a few seconds, so a double click on a card button acts once.</summary>
public sealed class RecentClicks(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, DateTimeOffset> clicks = new(StringComparer.Ordinal);

    public bool IsFirst(string user, BlockAction action, string? messageTs)
    {
        var now = time.GetUtcNow();
        foreach (var old in clicks.Where(click => now - click.Value > Window))
        {
            clicks.TryRemove(old);
        }

        var key = $"{user}|{action.ActionId}|{action.BlockId}|{messageTs}|{action.Value}|{action.SelectedOption?.Value}";
        return clicks.TryAdd(key, now);
    }
}
