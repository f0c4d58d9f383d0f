namespace IncidentBot.Incidents;

/// <summary>Status moves and the timestamps they set (the time-to-resolve rules).</summary>
public static class IncidentLifecycle
{
    /// <summary>
    /// Moves an incident to <paramref name="to"/>:
    /// stable_at is set by the first move into stable and kept after that;
    /// resolved_at is set to now on a move from active/stable into resolved/completed,
    /// unchanged on resolved↔completed, and cleared on a reopen, so the next resolution sets it anew.
    /// </summary>
    public static Incident MoveTo(this Incident incident, IncidentStatus to, DateTimeOffset now)
    {
        var from = incident.Status;
        if (from == to)
        {
            return incident;
        }

        var resolvedAt = (from.IsOpen(), to.IsOpen()) switch
        {
            (true, false) => now,
            (false, false) => incident.ResolvedAt ?? now,
            _ => (DateTimeOffset?)null,
        };
        var stableAt = to == IncidentStatus.Stable ? incident.StableAt ?? now : incident.StableAt;
        return incident with { Status = to, StableAt = stableAt, ResolvedAt = resolvedAt };
    }
}
