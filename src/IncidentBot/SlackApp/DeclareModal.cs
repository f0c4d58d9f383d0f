using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>The form <c>/incident declare</c> opens when given no title; submitting it declares the incident.</summary>
public sealed class DeclareModal(IncidentService incidents, ISlackApiClient slack, ILogger<DeclareModal> logger) : IViewSubmissionHandler
{
    public const string CallbackId = "declare_incident";
    public const string TitleBlock = "title";
    public const string SeverityBlock = "severity";
    public const string CommanderBlock = "commander";
    public const string ServicesBlock = "services";
    public const string DescriptionBlock = "description";
    public const string PrivateBlock = "private";
    public const string PrivateOption = "private";
    private const string Input = "input";

    /// <param name="channelId">Where the command was typed, to confirm the declaration there.</param>
    public static ModalView Build(string requesterId, string? channelId) => new(TextObject.Plain("Declare an incident"),
    [
        new InputBlock(TextObject.Plain("Title"), new PlainTextInputElement
        {
            ActionId = Input,
            MaxLength = IncidentFieldRules.MaxTitleLength,
            Placeholder = TextObject.Plain("What is broken, for whom? e.g. Checkout failing for EU customers"),
        }) { BlockId = TitleBlock },
        new InputBlock(TextObject.Plain("Severity"), new StaticSelectElement([.. IncidentMessages.SeverityOptions])
        {
            ActionId = Input,
            InitialOption = IncidentMessages.SeverityOptions.Single(o => o.Value == Severity.Unknown.ToLabel()),
        }) { BlockId = SeverityBlock },
        new InputBlock(TextObject.Plain("Commander"), new UsersSelectElement { ActionId = Input, InitialUser = requesterId })
        {
            BlockId = CommanderBlock,
        },
        new InputBlock(TextObject.Plain("Services"), new PlainTextInputElement
        {
            ActionId = Input,
            Placeholder = TextObject.Plain("checkout-api, payments"),
        }) { BlockId = ServicesBlock, Optional = true, Hint = TextObject.Plain("Comma-separated") },
        new InputBlock(TextObject.Plain("What do we know so far?"), new PlainTextInputElement
        {
            ActionId = Input,
            Multiline = true,
            MaxLength = IncidentFieldRules.MaxDetailLength,
        }) { BlockId = DescriptionBlock, Optional = true },
        new InputBlock(TextObject.Plain("Visibility"), new CheckboxesElement(
            [new SelectOption(TextObject.Plain("Private: a private channel; only its members see the incident"), PrivateOption)])
        {
            ActionId = Input,
        }) { BlockId = PrivateBlock, Optional = true },
    ])
    {
        CallbackId = CallbackId,
        Submit = TextObject.Plain("Declare"),
        Close = TextObject.Plain("Cancel"),
        PrivateMetadata = channelId,
    };

    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken)
    {
        var state = submission.View.State ?? new ViewState();
        string? Text(string block) => state.Find(block, Input)?.Value;
        var draft = new IncidentDraft
        {
            Title = Text(TitleBlock) ?? "",
            Severity = SeverityText.TryParse(state.Find(SeverityBlock, Input)?.SelectedOption?.Value, out var severity) ? severity : Severity.Unknown,
            CommanderId = state.Find(CommanderBlock, Input)?.SelectedUser ?? submission.User.Id,
            Services = (Text(ServicesBlock) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Description = Text(DescriptionBlock),
            DeclaredBy = submission.User.Id,
            IsPrivate = state.Find(PrivateBlock, Input)?.SelectedOptions?.Any(o => o.Value == PrivateOption) == true,
        };

        Incident incident;
        try
        {
            incident = await incidents.DeclareAsync(draft, cancellationToken);
        }
        catch (IncidentValidationException invalid)
        {
            return ViewSubmissionResponse.WithErrors(invalid.Errors.ToDictionary(e => BlockFor(e.Key), e => e.Value[0]));
        }

        await ConfirmAsync(submission, incident, cancellationToken);
        return null;
    }

    private static string BlockFor(string field) => field switch
    {
        "services" => ServicesBlock,
        "description" => DescriptionBlock,
        "commanderId" => CommanderBlock,
        _ => TitleBlock,
    };

    private async Task ConfirmAsync(ViewSubmissionPayload submission, Incident incident, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(submission.View.PrivateMetadata))
        {
            return;
        }

        try
        {
            await slack.Chat.PostEphemeralAsync(submission.User.Id, new ChatMessage(submission.View.PrivateMetadata,
                $"Declared *{incident.Reference}: {SlackText.Escape(incident.Title)}* ({incident.Severity.ToLabel()}). Its channel is being opened; you are invited."),
                cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogInformation("Could not confirm {Incident} to {User}: {Error}", incident.Reference, submission.User.Id, refused.Error);
        }
    }
}
