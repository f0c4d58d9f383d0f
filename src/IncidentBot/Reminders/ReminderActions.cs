using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.SlackApp;
using IncidentBot.Storage;

namespace IncidentBot.Reminders;

/// <summary>
/// The reminder's buttons: <b>Post update</b> opens a small form whose text becomes an <c>update</c> on the timeline
/// (which also resets the reminder), <b>Snooze 30 min</b> holds reminders of the incident back for half an hour.
/// </summary>
public sealed class ReminderActions(
    IncidentService incidents, IReminderStore reminders, ISlackApiClient slack, TimeProvider time, ILogger<ReminderActions> logger)
    : IBlockActionHandler, IViewSubmissionHandler
{
    public const string PostUpdate = "reminder_post_update";
    public const string Snooze = "reminder_snooze";
    public const string UpdateFormCallbackId = "reminder_update_form";
    public static readonly TimeSpan SnoozeFor = TimeSpan.FromMinutes(30);

    private const string UpdateBlock = "update";
    private const string Input = "input";

    public static string Text(Incident incident, TimeSpan quiet)
    {
        var who = incident.CommanderId is null ? "No commander is set:" : $"{SlackText.Person(incident.CommanderId)},";
        return $":hourglass: {who} no update on *{incident.Reference}* for {SlackText.Duration(quiet)}. Post one so everyone knows where things stand.";
    }

    public static IReadOnlyList<Block> Blocks(Incident incident, string text)
    {
        var number = incident.Number.ToString(CultureInfo.InvariantCulture);
        return
        [
            new SectionBlock { Text = TextObject.Markdown(text) },
            new ActionsBlock(
            [
                new ButtonElement(TextObject.Plain("Post update")) { ActionId = PostUpdate, Value = number, Style = "primary" },
                new ButtonElement(TextObject.Plain("Snooze 30 min")) { ActionId = Snooze, Value = number },
            ]),
        ];
    }

    public async Task HandleAsync(BlockAction action, BlockActionsPayload payload, CancellationToken cancellationToken)
    {
        if (!long.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        if (action.ActionId == Snooze)
        {
            var until = time.GetUtcNow() + SnoozeFor;
            await reminders.SnoozeAsync(number, until, cancellationToken);
            await ReplyAsync(payload, $"No update reminders for {IncidentReference.Format(number)} until {SlackText.Time(until)}.", cancellationToken);
        }
        else if (action.ActionId == PostUpdate && payload.TriggerId is { } trigger)
        {
            await slack.Views.OpenAsync(trigger, UpdateForm(number), cancellationToken);
        }
    }

    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken)
    {
        if (!long.TryParse(submission.View.PrivateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        try
        {
            var text = submission.View.State?.Find(UpdateBlock, Input)?.Value;
            await incidents.PostAsync(number, TimelineEntryKind.Update, text, submission.User.Id, cancellationToken);
            return null;
        }
        catch (IncidentValidationException invalid)
        {
            return ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [UpdateBlock] = invalid.Message });
        }
    }

    private static ModalView UpdateForm(long number) => new(TextObject.Plain("Post an update"),
    [
        new InputBlock(TextObject.Plain("What do we know, and what happens next?"), new PlainTextInputElement
        {
            ActionId = Input,
            Multiline = true,
            MaxLength = 3000,
        }) { BlockId = UpdateBlock },
    ])
    {
        CallbackId = UpdateFormCallbackId,
        Submit = TextObject.Plain("Post"),
        Close = TextObject.Plain("Cancel"),
        PrivateMetadata = number.ToString(CultureInfo.InvariantCulture),
    };

    private async Task ReplyAsync(BlockActionsPayload payload, string text, CancellationToken cancellationToken)
    {
        var channel = payload.Channel?.Id ?? payload.Container.ChannelId;
        if (channel is null)
        {
            return;
        }

        try
        {
            await slack.Chat.PostEphemeralAsync(payload.User.Id, new ChatMessage(channel, text), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("Could not answer {User} in {Channel}: {Error}", payload.User.Id, channel, refused.Error);
        }
    }
}
