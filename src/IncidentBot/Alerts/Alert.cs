using System.Text.Json.Nodes;
using IncidentBot.Incidents;

namespace IncidentBot.Alerts;

/// <summary>
/// One alert as any source describes it, in the same shape: what the rules match on and what the core links.
/// A source's webhook turns its payload into these and nothing else reads the payload.
/// </summary>
public sealed record Alert
{
    public const string PagerDuty = "pagerduty";
    public const string Alertmanager = "alertmanager";

    /// <summary><c>pagerduty</c>, <c>alertmanager</c>, or what a generic sender calls itself (<c>grafana</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Unique within the source: a PagerDuty incident id, an Alertmanager fingerprint, a generic id.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }

    /// <summary>Null when the event says nothing of it (a note, a reassignment).</summary>
    public AlertStatus? Status { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Url { get; init; }

    /// <summary>Alertmanager's labels; PagerDuty's <c>urgency</c>, <c>priority</c> and <c>service</c>; a generic alert's <c>severity</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The services the source names, before any rule.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>PagerDuty's priority (<c>P1</c> …), when it has one.</summary>
    public string? Priority { get; init; }

    /// <summary>What happened at the source besides firing or resolving, e.g. "acknowledged by Jane".</summary>
    public string? Note { get; init; }
    public JsonObject? Details { get; init; }

    /// <summary>Identifies the alert across deliveries; the target of its link.</summary>
    public string Key => $"{Source}:{Id}";

    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public AlertReport ToReport(AlertDecision decision) =>
        new(Key, Title, Status, StartedAt, EndedAt, Url, Note, decision.Services, decision.ResolvesIncident, Details);
}
