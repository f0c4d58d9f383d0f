using System.Text.Json;

namespace IncidentBot.Testing;

/// <summary>One request FakeSlack received, for assertions.</summary>
/// <param name="Method">The Web API method (e.g. "chat.postMessage"), or "response_url".</param>
/// <param name="Body">The arguments as a JSON object, whether they came as JSON or as form fields.</param>
public sealed record RecordedCall(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    JsonElement Body,
    DateTimeOffset ReceivedAt)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");

    /// <summary>An argument as text (numbers and booleans as written), or null when absent.</summary>
    public string? Arg(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
