namespace IncidentBot.Incidents;

/// <summary>
/// The lifecycle: active → stable → resolved → completed (optional last step).
/// Any status may move to any other, reopening included.
/// </summary>
public enum IncidentStatus
{
    Active,
    Stable,
    Resolved,
    Completed,
}

public static class IncidentStatusText
{
    public const string Accepted = "active, stable, resolved or completed (also declared/investigating, mitigated, closed/fixed)";

    /// <summary>What a change of status also takes: <c>reopen</c>, as <c>/incident reopen</c> says it.</summary>
    public const string ChangeAccepted = Accepted + ", or reopen (active again)";

    private const string Reopen = "reopen";

    private static readonly Dictionary<string, IncidentStatus> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = IncidentStatus.Active,
        ["declared"] = IncidentStatus.Active,
        ["investigating"] = IncidentStatus.Active,
        ["stable"] = IncidentStatus.Stable,
        ["mitigated"] = IncidentStatus.Stable,
        ["resolved"] = IncidentStatus.Resolved,
        ["closed"] = IncidentStatus.Resolved,
        ["fixed"] = IncidentStatus.Resolved,
        ["completed"] = IncidentStatus.Completed,
    };

    public static string ToLabel(this IncidentStatus status) => status switch
    {
        IncidentStatus.Active => "active",
        IncidentStatus.Stable => "stable",
        IncidentStatus.Resolved => "resolved",
        IncidentStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Active and stable incidents still need people; resolved and completed ones are over.</summary>
    public static bool IsOpen(this IncidentStatus status) => status is IncidentStatus.Active or IncidentStatus.Stable;

    public static bool TryParse(string? text, out IncidentStatus status)
    {
        status = IncidentStatus.Active;
        return !string.IsNullOrWhiteSpace(text) && Names.TryGetValue(text.Trim(), out status);
    }

    /// <summary>A status to move to: any of <see cref="TryParse"/>'s, or <c>reopen</c>, which is active.</summary>
    public static bool TryParseChange(string? text, out IncidentStatus status)
    {
        if (string.Equals(text?.Trim(), Reopen, StringComparison.OrdinalIgnoreCase))
        {
            status = IncidentStatus.Active;
            return true;
        }

        return TryParse(text, out status);
    }
}
