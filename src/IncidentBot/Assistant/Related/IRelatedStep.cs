using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Related;

/// <summary>Finds the incidents related to one incident, or to words within a time frame.</summary>
public interface IRelatedStep : IAssistantStep
{
    /// <param name="subject">The incident of <see cref="RelatedRequest.Number"/>, loaded, when the request has no words; else null.</param>
    Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken = default);
}
