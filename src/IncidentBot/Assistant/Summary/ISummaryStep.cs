using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Summary;

/// <summary>Writes the summary of one incident: its state and what its timeline says.</summary>
public interface ISummaryStep : IAssistantStep
{
    Task<SummaryAnswer> SummarizeAsync(Incident incident, CancellationToken cancellationToken = default);
}
