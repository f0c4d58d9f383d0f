namespace IncidentBot.Incidents;

/// <summary>
/// Told after an incident has changed and the change is committed. Must return at once: observers
/// only take note, and do their slow work (e.g. telling Slack) elsewhere, from the stored state.
/// </summary>
public interface IIncidentObserver
{
    void OnChanged(long number);
}
