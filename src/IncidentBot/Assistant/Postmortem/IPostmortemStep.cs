using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Postmortem;

/// <summary>Writes the postmortem draft of a resolved incident (the caller has checked it may have one) into the operator's template.</summary>
public interface IPostmortemStep : IAssistantStep
{
    /// <param name="messages">The messages and posts in the incident's timeline, as counted by the caller.</param>
    Task<PostmortemAnswer> WriteAsync(Incident incident, int messages, CancellationToken cancellationToken = default);
}
