namespace IncidentBot.Slack.Models;

/// <summary>A slash command invocation: form fields over HTTP, a JSON object in Socket Mode.</summary>
public sealed record SlashCommand
{
    public string Command { get; init; } = "";
    /// <summary>Everything after the command; may be empty.</summary>
    public string Text { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? UserName { get; init; }
    public string ChannelId { get; init; } = "";
    public string? ChannelName { get; init; }
    public string TeamId { get; init; } = "";
    public string? TeamDomain { get; init; }
    public string? EnterpriseId { get; init; }
    public string? TriggerId { get; init; }
    public string? ResponseUrl { get; init; }
    public string? ApiAppId { get; init; }

    /// <summary>Reads the form fields; null when the fields that identify a command are missing.</summary>
    public static SlashCommand? FromForm(IReadOnlyDictionary<string, string> fields)
    {
        string? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;

        var command = Field("command");
        if (string.IsNullOrEmpty(command) || string.IsNullOrEmpty(Field("user_id")))
        {
            return null;
        }

        return new SlashCommand
        {
            Command = command,
            Text = Field("text") ?? "",
            UserId = Field("user_id")!,
            UserName = Field("user_name"),
            ChannelId = Field("channel_id") ?? "",
            ChannelName = Field("channel_name"),
            TeamId = Field("team_id") ?? "",
            TeamDomain = Field("team_domain"),
            EnterpriseId = Field("enterprise_id"),
            TriggerId = Field("trigger_id"),
            ResponseUrl = Field("response_url"),
            ApiAppId = Field("api_app_id"),
        };
    }
}

/// <summary>The immediate answer to a slash command (the HTTP 200 body or the Socket Mode ack payload).</summary>
public sealed record SlashCommandResponse
{
    /// <summary>"ephemeral" (only the invoking user sees it) or "in_channel".</summary>
    public string ResponseType { get; init; } = "ephemeral";
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }

    public static SlashCommandResponse Ephemeral(string text, IReadOnlyList<Block>? blocks = null) =>
        new() { ResponseType = "ephemeral", Text = text, Blocks = blocks };

    public static SlashCommandResponse InChannel(string text, IReadOnlyList<Block>? blocks = null) =>
        new() { ResponseType = "in_channel", Text = text, Blocks = blocks };
}

/// <summary>A message posted to a <c>response_url</c> (up to 5 times within 30 minutes of the interaction).</summary>
public sealed record ResponseUrlMessage
{
    public string? ResponseType { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public bool? ReplaceOriginal { get; init; }
    public bool? DeleteOriginal { get; init; }
    public string? ThreadTs { get; init; }

    public static ResponseUrlMessage From(SlashCommandResponse response) =>
        new() { ResponseType = response.ResponseType, Text = response.Text, Blocks = response.Blocks };
}
