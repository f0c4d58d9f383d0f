namespace IncidentBot.Incidents;

/// <summary>What someone wants to change on an incident; null means "leave as it is".</summary>
public sealed record IncidentEdit
{
    public IncidentStatus? Status { get; init; }
    public Severity? Severity { get; init; }
    public string? CommanderId { get; init; }
    public string? Title { get; init; }
    public string? CustomerImpact { get; init; }
    public string? Description { get; init; }
    public string? MitigationSummary { get; init; }
    public string? ResolutionSummary { get; init; }
    public IReadOnlyList<string>? AddServices { get; init; }
    public IReadOnlyList<string>? RemoveServices { get; init; }
    public (LinkType Type, string Target)? Link { get; init; }

    /// <summary>When customers started to feel it; must not be in the future.</summary>
    public DateTimeOffset? ImpactStartedAt { get; init; }
}

/// <summary>What a new incident starts with.</summary>
public sealed record IncidentDraft
{
    public required string Title { get; init; }
    public Severity Severity { get; init; } = Severity.Unknown;
    public IncidentStatus Status { get; init; } = IncidentStatus.Active;
    public IReadOnlyList<string>? Services { get; init; }
    public string? Environment { get; init; }
    public string? Description { get; init; }
    public string? CustomerImpact { get; init; }
    public string? DeclaredBy { get; init; }
    public string? CommanderId { get; init; }
    public DateTimeOffset? ImpactStartedAt { get; init; }

    /// <summary>A private incident: a private channel, seen only by its members.</summary>
    public bool IsPrivate { get; init; }
}

/// <summary>An incident as it will be after a change, with the timeline entries that record the change.</summary>
public sealed record IncidentChange(Incident Incident, IReadOnlyList<NewTimelineEntry> Entries)
{
    public static IncidentChange None(Incident incident) => new(incident, []);

    /// <summary>This change followed by <paramref name="next"/>, which was worked out from this one's incident.</summary>
    public IncidentChange Then(IncidentChange next) => new(next.Incident, [.. Entries, .. next.Entries]);
}

/// <summary>A change as the store committed it.</summary>
public sealed record IncidentUpdate(Incident Before, Incident After, IReadOnlyList<TimelineEntry> Entries)
{
    public bool Changed => Entries.Count > 0;
}
