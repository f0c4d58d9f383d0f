namespace IncidentBot.Incidents;

/// <summary>
/// What alert intake tells the core about one alert of an incident: the alert as its source last described it,
/// and what the rule that matched it allows.
/// </summary>
/// <param name="Key">Identifies the alert across deliveries: <c>source:id</c>. It is the alert link's target.</param>
/// <param name="Status">Null when the event says nothing of it (a note, a reassignment).</param>
/// <param name="Note">What happened at the source besides firing or resolving, e.g. "acknowledged by Jane".</param>
/// <param name="Details">What the source sent besides, kept with the entry that links the alert.</param>
/// <param name="ResolvesIncident">The rule lets the bot resolve the incident once every linked alert has resolved.</param>
public sealed record AlertReport(
    string Key,
    string Title,
    AlertStatus? Status,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    string? Url = null,
    string? Note = null,
    IReadOnlyList<string>? Services = null,
    bool ResolvesIncident = false,
    System.Text.Json.Nodes.JsonObject? Details = null);
