using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Incidents;

namespace IncidentBot.Alerts;

/// <summary>
/// PagerDuty's Generic Webhooks (v3): the signature check over the raw body, and the incident events read into
/// <see cref="Alert"/>s. Each delivery carries one event; <c>event.data</c> is the PagerDuty incident, or for
/// <c>incident.annotated</c> the note with a reference to it.
/// </summary>
public static class PagerDutyWebhook
{
    public const string SignatureHeader = "X-PagerDuty-Signature";

    public static readonly IReadOnlySet<string> HandledEvents = new HashSet<string>
    {
        "incident.triggered", "incident.acknowledged", "incident.priority_updated", "incident.reassigned",
        "incident.annotated", "incident.reopened", "incident.resolved",
    };

    private const string Version = "v1=";

    /// <summary>
    /// True when one of the header's <c>v1=</c> signatures is the HMAC-SHA256 of the body under one of the secrets
    /// (several during a rotation), each compared in constant time.
    /// </summary>
    public static bool IsSigned(ReadOnlySpan<byte> body, string? header, IReadOnlyList<byte[]> secrets)
    {
        var presented = (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith(Version, StringComparison.Ordinal) && s.Length == Version.Length + 64)
            .Select(s => TryHex(s[Version.Length..]))
            .OfType<byte[]>()
            .ToList();
        var signed = false;
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(secret, body);
            foreach (var signature in presented)
            {
                signed |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return signed;
    }

    /// <summary>The event's type and, for a handled incident event, the alert it describes.</summary>
    /// <exception cref="JsonException">The body is not a v3 webhook payload.</exception>
    public static (string EventType, Alert? Alert) Read(JsonNode? payload)
    {
        var @event = payload?["event"] ?? throw new JsonException("There is no 'event' object.");
        var type = Text(@event["event_type"]) ?? throw new JsonException("event.event_type is missing.");
        if (!HandledEvents.Contains(type))
        {
            return (type, null);
        }

        var data = @event["data"] ?? throw new JsonException("event.data is missing.");
        var incident = type == "incident.annotated" ? data["incident"] ?? throw new JsonException("event.data.incident is missing.") : data;
        var id = Text(incident["id"]) ?? throw new JsonException("The PagerDuty incident has no id.");
        var occurredAt = Time(@event["occurred_at"]);
        var status = type == "incident.annotated" ? (AlertStatus?)null
            : Text(data["status"]) == "resolved" ? AlertStatus.Resolved : AlertStatus.Firing;
        var service = Text(data["service"]?["summary"]);
        var priority = Text(data["priority"]?["summary"]);
        var labels = new Dictionary<string, string>();
        Put(labels, "urgency", Text(data["urgency"]));
        Put(labels, "priority", priority);
        Put(labels, "service", service);
        return (type, new Alert
        {
            Source = Alert.PagerDuty,
            Id = id,
            Title = Text(incident["title"]) ?? Text(incident["summary"]) ?? id,
            Status = status,
            StartedAt = Time(data["created_at"]),
            EndedAt = status == AlertStatus.Resolved ? occurredAt : null,
            Url = Text(incident["html_url"]),
            Labels = labels,
            Services = service is null ? [] : [service],
            Priority = priority,
            Note = Note(type, @event, data),
        });
    }

    private static string? Note(string type, JsonNode @event, JsonNode data)
    {
        var agent = Text(@event["agent"]?["summary"]);
        var by = agent is null ? "" : $" by {agent}";
        return type switch
        {
            "incident.acknowledged" => $"acknowledged in PagerDuty{by}",
            "incident.priority_updated" => $"PagerDuty priority is now {Text(data["priority"]?["summary"]) ?? "none"}",
            "incident.reassigned" => $"reassigned in PagerDuty to {Assignees(data) ?? "nobody"}",
            "incident.annotated" => $"PagerDuty note{by}: {Text(data["content"])}",
            "incident.reopened" => $"reopened in PagerDuty{by}",
            _ => null,
        };
    }

    private static string? Assignees(JsonNode data) =>
        data["assignees"] is JsonArray assignees && assignees.Count > 0
            ? string.Join(", ", assignees.Select(a => Text(a?["summary"])).OfType<string>())
            : null;

    private static void Put(Dictionary<string, string> labels, string name, string? value)
    {
        if (value is not null)
        {
            labels[name] = value;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;

    private static byte[]? TryHex(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
