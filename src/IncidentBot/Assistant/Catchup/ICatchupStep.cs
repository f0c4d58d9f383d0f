using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Catchup;

/// <summary>Writes what changed in one incident within a window of its timeline.</summary>
public interface ICatchupStep : IAssistantStep
{
    Task<CatchupAnswer> CatchUpAsync(Incident incident, CatchupWindow window, CancellationToken cancellationToken = default);
}
