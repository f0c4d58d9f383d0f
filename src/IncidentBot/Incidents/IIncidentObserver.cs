namespace IncidentBot.Incidents;

/// <summary>
/// Told once after each committed write of the application layer (<see cref="IncidentService"/>). Must return at
/// once: observers only take note, and do their slow work (e.g. telling Slack) elsewhere.
/// </summary>
public interface IIncidentObserver
{
    /// <summary>The incident's state or its own timeline changed: a declaration, an edit, a post, a draft, a channel.</summary>
    void OnChanged(IncidentChanged change);

    /// <summary>A chat message of the incident's channel was stored, edited or deleted; the incident itself is unchanged.</summary>
    void OnMessage(long number, TimelineEntry entry)
    {
    }
}

/// <param name="Incident">The incident as committed, to work from without reading it again.</param>
/// <param name="Entries">The timeline entries the change added, in the order they were stored.</param>
public sealed record IncidentChanged(Incident Incident, IReadOnlyList<TimelineEntry> Entries);
