using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Models;

/// <summary>A Block Kit text object: <c>plain_text</c> or <c>mrkdwn</c>.</summary>
public sealed record TextObject(string Type, string Text)
{
    public bool? Emoji { get; init; }
    public bool? Verbatim { get; init; }

    public static TextObject Plain(string text) => new("plain_text", text);

    public static TextObject Markdown(string text) => new("mrkdwn", text);
}

/// <summary>An option of a select menu.</summary>
public sealed record SelectOption(TextObject Text, string Value)
{
    public TextObject? Description { get; init; }

    public static SelectOption Plain(string text, string value) => new(TextObject.Plain(text), value);
}

public sealed record ConfirmationDialog(TextObject Title, TextObject Text, TextObject Confirm, TextObject Deny)
{
    /// <summary>"primary" or "danger".</summary>
    public string? Style { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(InputBlock), "input")]
public abstract record Block
{
    public string? BlockId { get; init; }
}

public sealed record SectionBlock : Block
{
    public TextObject? Text { get; init; }
    /// <summary>At most 10, shown in two columns.</summary>
    public IReadOnlyList<TextObject>? Fields { get; init; }
    public BlockElement? Accessory { get; init; }
}

public sealed record ContextBlock(IReadOnlyList<TextObject> Elements) : Block;

public sealed record ActionsBlock(IReadOnlyList<BlockElement> Elements) : Block;

public sealed record DividerBlock : Block;

/// <summary>Plain text only, at most 150 characters.</summary>
public sealed record HeaderBlock(TextObject Text) : Block;

/// <summary>A form field in a modal; the submitted value arrives under its <c>block_id</c> in the view state.</summary>
public sealed record InputBlock(TextObject Label, BlockElement Element) : Block
{
    public bool? Optional { get; init; }
    public TextObject? Hint { get; init; }
    public bool? DispatchAction { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ButtonElement), "button")]
[JsonDerivedType(typeof(StaticSelectElement), "static_select")]
[JsonDerivedType(typeof(MultiStaticSelectElement), "multi_static_select")]
[JsonDerivedType(typeof(UsersSelectElement), "users_select")]
[JsonDerivedType(typeof(MultiUsersSelectElement), "multi_users_select")]
[JsonDerivedType(typeof(PlainTextInputElement), "plain_text_input")]
[JsonDerivedType(typeof(CheckboxesElement), "checkboxes")]
public abstract record BlockElement
{
    /// <summary>Routes the interaction to the handler registered for it.</summary>
    public string? ActionId { get; init; }
}

public sealed record ButtonElement(TextObject Text) : BlockElement
{
    public string? Value { get; init; }
    public string? Url { get; init; }
    /// <summary>"primary" or "danger"; null for the default look.</summary>
    public string? Style { get; init; }
    public ConfirmationDialog? Confirm { get; init; }
}

public sealed record StaticSelectElement(IReadOnlyList<SelectOption> Options) : BlockElement
{
    public TextObject? Placeholder { get; init; }
    public SelectOption? InitialOption { get; init; }
}

public sealed record MultiStaticSelectElement(IReadOnlyList<SelectOption> Options) : BlockElement
{
    public TextObject? Placeholder { get; init; }
    public IReadOnlyList<SelectOption>? InitialOptions { get; init; }
    public int? MaxSelectedItems { get; init; }
}

public sealed record UsersSelectElement : BlockElement
{
    public TextObject? Placeholder { get; init; }
    public string? InitialUser { get; init; }
}

public sealed record MultiUsersSelectElement : BlockElement
{
    public TextObject? Placeholder { get; init; }
    public IReadOnlyList<string>? InitialUsers { get; init; }
    public int? MaxSelectedItems { get; init; }
}

public sealed record CheckboxesElement(IReadOnlyList<SelectOption> Options) : BlockElement
{
    public IReadOnlyList<SelectOption>? InitialOptions { get; init; }
}

public sealed record PlainTextInputElement : BlockElement
{
    public TextObject? Placeholder { get; init; }
    public string? InitialValue { get; init; }
    public bool? Multiline { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
}

/// <summary>A modal for <c>views.open</c>/<c>views.update</c>; a modal with input blocks needs <see cref="Submit"/>.</summary>
public sealed record ModalView(TextObject Title, IReadOnlyList<Block> Blocks)
{
    public string Type => "modal";
    public TextObject? Submit { get; init; }
    public TextObject? Close { get; init; }
    /// <summary>Routes the submission to the handler registered for it.</summary>
    public string? CallbackId { get; init; }
    /// <summary>At most 3000 characters, returned unchanged on submission.</summary>
    public string? PrivateMetadata { get; init; }
    public string? ExternalId { get; init; }
    public bool? ClearOnClose { get; init; }
    public bool? NotifyOnClose { get; init; }
}

/// <summary>The App Home tab for <c>views.publish</c>.</summary>
public sealed record HomeView(IReadOnlyList<Block> Blocks)
{
    public string Type => "home";
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public string? ExternalId { get; init; }
}
