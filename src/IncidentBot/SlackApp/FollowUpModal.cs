using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>The form the card's <b>Add follow-up</b> opens; submitting it adds the follow-up to the incident.</summary>
public sealed class FollowUpModal(IncidentService incidents, TimeProvider time) : IViewSubmissionHandler
{
    public const string CallbackId = "add_followup";
    public const string TextBlock = "text";
    public const string OwnerBlock = "owner";
    public const string DueBlock = "due";
    private const string Input = "input";

    /// <param name="number">The incident, carried in the form's private metadata.</param>
    public static ModalView Build(long number) => new(TextObject.Plain("Add a follow-up"),
    [
        new InputBlock(TextObject.Plain("What is to be done?"), new PlainTextInputElement
        {
            ActionId = Input,
            Multiline = true,
            MaxLength = FollowUpChanges.MaxTextLength,
            Placeholder = TextObject.Plain("e.g. Add retries to the payment client"),
        }) { BlockId = TextBlock },
        new InputBlock(TextObject.Plain("Owner"), new UsersSelectElement { ActionId = Input }) { BlockId = OwnerBlock, Optional = true },
        new InputBlock(TextObject.Plain("Due"), new PlainTextInputElement { ActionId = Input, Placeholder = TextObject.Plain(FollowUpRequest.DueForms) })
        {
            BlockId = DueBlock,
            Optional = true,
        },
    ])
    {
        CallbackId = CallbackId,
        Submit = TextObject.Plain("Add"),
        Close = TextObject.Plain("Cancel"),
        PrivateMetadata = number.ToString(CultureInfo.InvariantCulture),
    };

    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken)
    {
        if (!long.TryParse(submission.View.PrivateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var state = submission.View.State ?? new ViewState();
        var due = state.Find(DueBlock, Input)?.Value;
        var request = new FollowUpRequest(state.Find(TextBlock, Input)?.Value ?? "", state.Find(OwnerBlock, Input)?.SelectedUser, string.IsNullOrWhiteSpace(due) ? null : due);
        try
        {
            await incidents.AddFollowUpAsync(number, request.ToNew(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)), submission.User.Id, cancellationToken);
            return null;
        }
        catch (Exception refused) when (refused is IncidentValidationException or IncidentConflictException)
        {
            var block = refused is IncidentValidationException { Errors: var errors } && errors.ContainsKey("dueOn") ? DueBlock
                : refused is IncidentValidationException { Errors: var others } && others.ContainsKey("ownerId") ? OwnerBlock
                : TextBlock;
            return ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [block] = refused.Message });
        }
    }
}
