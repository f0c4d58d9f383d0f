namespace IncidentBot.Slack.Api;

/// <summary>A Web API call answered <c>ok:false</c>; <see cref="Error"/> is Slack's code, e.g. <c>name_taken</c>.</summary>
public sealed class SlackApiException(
    string method,
    string error,
    IReadOnlyList<string>? messages = null,
    IReadOnlyList<string>? warnings = null,
    string? needed = null)
    : Exception($"Slack {method} failed: {error}{Describe(messages)}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
    /// <summary>From <c>response_metadata.messages</c>, e.g. which block was invalid.</summary>
    public IReadOnlyList<string> Messages { get; } = messages ?? [];
    public IReadOnlyList<string> Warnings { get; } = warnings ?? [];
    /// <summary>The scope a <c>missing_scope</c> error asks for.</summary>
    public string? Needed { get; } = needed;

    private static string Describe(IReadOnlyList<string>? messages) =>
        messages is { Count: > 0 } ? $" ({string.Join("; ", messages)})" : "";
}
