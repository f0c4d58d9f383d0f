using System.Text.Json;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// One JSON text message from Slack over a Socket Mode connection: <c>hello</c>, <c>disconnect</c>,
/// or an envelope (<c>events_api</c>, <c>slash_commands</c>, <c>interactive</c>) to be acknowledged by its envelope_id.
/// </summary>
internal sealed record SocketModeMessage
{
    public const string HelloType = "hello";
    public const string DisconnectType = "disconnect";
    public const string EventsApiType = "events_api";
    public const string SlashCommandsType = "slash_commands";
    public const string InteractiveType = "interactive";

    public string Type { get; init; } = "";
    public string? EnvelopeId { get; init; }

    /// <summary>The same JSON the HTTP transport receives; interactive payloads are objects here, not <c>payload=</c> form fields.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Whether the ack may carry an answer (slash commands, view submissions).</summary>
    public bool AcceptsResponsePayload { get; init; }

    /// <summary>The Socket Mode counterpart of the X-Slack-Retry-Num header (events only).</summary>
    public int RetryAttempt { get; init; }
    public string? RetryReason { get; init; }

    /// <summary>Why Slack wants a <c>disconnect</c>: warning, refresh_requested, link_disabled, too_many_websockets…</summary>
    public string? Reason { get; init; }

    /// <summary>In <c>hello</c>: how many connections the app has open, this one included.</summary>
    public int? NumConnections { get; init; }

    public SocketModeDebugInfo? DebugInfo { get; init; }

    /// <summary>Null when the text is not a JSON object with a <c>type</c>; Slack never sends those, so they are only logged.</summary>
    public static SocketModeMessage? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var message = JsonSerializer.Deserialize<SocketModeMessage>(utf8, SlackJson.Options);
            return string.IsNullOrEmpty(message?.Type) ? null : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Slack's description of the server end; <c>approximate_connection_time</c> is in seconds.</summary>
internal sealed record SocketModeDebugInfo(string? Host, long? ApproximateConnectionTime);

/// <summary>
/// The acknowledgement of one envelope, sent back on the socket that delivered it within 3 seconds:
/// <c>{"envelope_id":"…"}</c>, or with the handler's answer as <c>payload</c> when the envelope accepts one.
/// </summary>
internal sealed record SocketModeAck(string EnvelopeId, object? Payload = null)
{
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, SlackJson.Options);
}
