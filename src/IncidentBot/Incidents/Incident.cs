namespace IncidentBot.Incidents;

/// <summary>The current state of one incident. Its history lives in the timeline.</summary>
public sealed record Incident
{
    /// <summary>0 until the store assigns the next number of the global sequence.</summary>
    public long Number { get; init; }
    public string Reference => IncidentReference.Format(Number);
    public required string Title { get; init; }
    public Severity Severity { get; init; }
    public IncidentStatus Status { get; init; }
    public string? CommanderId { get; init; }

    /// <summary>The roles besides the commander that someone holds, in the order they were first given.</summary>
    public IReadOnlyList<RoleAssignment> Roles { get; init; } = [];

    public IReadOnlyList<FollowUp> FollowUps { get; init; } = [];
    public IReadOnlyList<string> Services { get; init; } = [];
    public string? Environment { get; init; }
    public string? CustomerImpact { get; init; }
    public string? Description { get; init; }
    public string? DeclaredBy { get; init; }
    public string? MitigationSummary { get; init; }
    public string? ResolutionSummary { get; init; }
    public IReadOnlyList<LinkedResource> Links { get; init; } = [];
    public string? ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public DateTimeOffset DeclaredAt { get; init; }
    public DateTimeOffset? StableAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When customers started to feel it: said by a person, or the earliest start of a linked alert.</summary>
    public DateTimeOffset? ImpactStartedAt { get; init; }

    /// <summary>Grows by one with every change; lets API clients detect a concurrent edit.</summary>
    public long Version { get; init; }

    /// <summary>Declared private: its channel is private and only its members see it (<see cref="IncidentAudience"/>).</summary>
    public bool IsPrivate { get; init; }

    public TimeSpan? TimeToResolve => ResolvedAt - DeclaredAt;

    /// <summary>Impact start to declaration; zero when the incident was declared before the impact began.</summary>
    public TimeSpan? TimeToDetect => TimeToDetectOf(ImpactStartedAt, DeclaredAt);

    /// <summary>What <see cref="TimeToDetect"/> is, for the figures read without the whole incident (<see cref="IncidentStats"/>).</summary>
    public static TimeSpan? TimeToDetectOf(DateTimeOffset? impactStartedAt, DateTimeOffset declaredAt) =>
        impactStartedAt is { } start ? (declaredAt > start ? declaredAt - start : TimeSpan.Zero) : null;

    /// <summary>The alerts that came in through alert intake (links with an alert state), in the order they were linked.</summary>
    public IEnumerable<LinkedResource> IntakeAlerts => Links.Where(link => link.Alert is not null);

    public string? HolderOf(string role) => Roles.FirstOrDefault(r => r.Role == role)?.UserId;
}

public enum LinkType
{
    Alert,
    Error,
    Trace,
    Deploy,
}

/// <summary>An alert, error group, trace or deploy that belongs to the incident: an id or a URL.</summary>
public sealed record LinkedResource(LinkType Type, string Target, DateTimeOffset LinkedAt, string? LinkedBy)
{
    /// <summary>Where to see it, when the target is an id rather than the URL (an alert from alert intake).</summary>
    public string? Url { get; init; }

    /// <summary>What alert intake last heard of the alert; null for links made by hand.</summary>
    public LinkedAlertState? Alert { get; init; }
}

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>The state of an alert linked by alert intake, kept with its link.</summary>
public sealed record LinkedAlertState(string Title, AlertStatus Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

public static class LinkTypeText
{
    public const string Accepted = "alert, error, trace or deploy";

    private static readonly Dictionary<string, LinkType> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alert"] = LinkType.Alert,
        ["error"] = LinkType.Error,
        ["error-group"] = LinkType.Error,
        ["error_group"] = LinkType.Error,
        ["trace"] = LinkType.Trace,
        ["deploy"] = LinkType.Deploy,
        ["release"] = LinkType.Deploy,
    };

    public static string ToLabel(this LinkType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out LinkType type)
    {
        type = LinkType.Alert;
        return !string.IsNullOrWhiteSpace(text) && Names.TryGetValue(text.Trim(), out type);
    }
}

public static class AlertStatusText
{
    public static string ToLabel(this AlertStatus status) => status == AlertStatus.Firing ? "firing" : "resolved";

    public static bool TryParse(string? text, out AlertStatus status)
    {
        status = AlertStatus.Firing;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "firing":
                return true;
            case "resolved":
                status = AlertStatus.Resolved;
                return true;
            default:
                return false;
        }
    }
}
