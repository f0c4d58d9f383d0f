using System.Text.Json;

namespace IncidentBot.Slack.Models;

/// <summary>A body posted to the interactivity request URL (the JSON inside the <c>payload=</c> form field).</summary>
public abstract record InteractionPayload
{
    public string Type { get; init; } = "";
    public InteractionUser User { get; init; } = new();
    public InteractionTeam? Team { get; init; }
    public string? ApiAppId { get; init; }
    /// <summary>Valid for 3 seconds and once: open a modal with it before doing slow work.</summary>
    public string? TriggerId { get; init; }
}

public sealed record InteractionUser
{
    public string Id { get; init; } = "";
    public string? Username { get; init; }
    public string? Name { get; init; }
    public string? TeamId { get; init; }
}

public sealed record InteractionTeam
{
    public string Id { get; init; } = "";
    public string? Domain { get; init; }
    public string? EnterpriseId { get; init; }
}

public sealed record InteractionChannel
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
}

/// <summary>Where the clicked element lives: a message (<c>message_ts</c>, <c>channel_id</c>) or a view (<c>view_id</c>).</summary>
public sealed record InteractionContainer
{
    public string Type { get; init; } = "";
    public string? MessageTs { get; init; }
    public string? ChannelId { get; init; }
    public bool IsEphemeral { get; init; }
    public string? ViewId { get; init; }
}

public sealed record BlockActionsPayload : InteractionPayload
{
    public InteractionChannel? Channel { get; init; }
    public InteractionContainer Container { get; init; } = new();
    public SlackMessage? Message { get; init; }
    public PublishedView? View { get; init; }
    public ViewState? State { get; init; }
    /// <summary>Absent when the action came from a modal.</summary>
    public string? ResponseUrl { get; init; }
    public IReadOnlyList<BlockAction> Actions { get; init; } = [];
}

public sealed record BlockAction
{
    public string ActionId { get; init; } = "";
    public string BlockId { get; init; } = "";
    public string Type { get; init; } = "";
    public string? Value { get; init; }
    public TextObject? Text { get; init; }
    public SelectOption? SelectedOption { get; init; }
    public IReadOnlyList<SelectOption>? SelectedOptions { get; init; }
    public string? SelectedUser { get; init; }
    public IReadOnlyList<string>? SelectedUsers { get; init; }
    public string? ActionTs { get; init; }
}

public sealed record ViewSubmissionPayload : InteractionPayload
{
    public PublishedView View { get; init; } = new();
    public JsonElement? ResponseUrls { get; init; }
}

/// <summary>A view as Slack shows it back to us, with its id and the user's input.</summary>
public sealed record PublishedView
{
    public string Id { get; init; } = "";
    public string? TeamId { get; init; }
    public string Type { get; init; } = "";
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public string? ExternalId { get; init; }
    public string? Hash { get; init; }
    public string? RootViewId { get; init; }
    public string? PreviousViewId { get; init; }
    public string? AppId { get; init; }
    public string? BotId { get; init; }
    public ViewState? State { get; init; }
    public JsonElement? Blocks { get; init; }
}

public sealed record ViewState
{
    /// <summary>block_id → action_id → the element's current value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, ViewStateValue>> Values { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, ViewStateValue>>();

    /// <summary>The value of one input, or null when the block or action is not in the state.</summary>
    public ViewStateValue? Find(string blockId, string actionId) =>
        Values.TryGetValue(blockId, out var actions) && actions.TryGetValue(actionId, out var value) ? value : null;
}

public sealed record ViewStateValue
{
    public string Type { get; init; } = "";
    public string? Value { get; init; }
    public SelectOption? SelectedOption { get; init; }
    public IReadOnlyList<SelectOption>? SelectedOptions { get; init; }
    public string? SelectedUser { get; init; }
    public IReadOnlyList<string>? SelectedUsers { get; init; }
    public string? SelectedConversation { get; init; }
    public string? SelectedChannel { get; init; }
    public string? SelectedDate { get; init; }
}

public sealed record UnknownInteraction : InteractionPayload
{
    public JsonElement Raw { get; init; }
}

/// <summary>What a view submission answers synchronously; null instead of one of these closes the modal.</summary>
public sealed record ViewSubmissionResponse
{
    public string ResponseAction { get; init; } = "";
    public IReadOnlyDictionary<string, string>? Errors { get; init; }
    public ModalView? View { get; init; }

    /// <summary>Keys are block_ids of input blocks in the submitted view.</summary>
    public static ViewSubmissionResponse WithErrors(IReadOnlyDictionary<string, string> errors) =>
        new() { ResponseAction = "errors", Errors = errors };

    public static ViewSubmissionResponse Update(ModalView view) => new() { ResponseAction = "update", View = view };

    public static ViewSubmissionResponse Push(ModalView view) => new() { ResponseAction = "push", View = view };

    public static ViewSubmissionResponse Clear() => new() { ResponseAction = "clear" };
}
