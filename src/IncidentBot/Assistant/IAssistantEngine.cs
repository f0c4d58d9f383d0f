using IncidentBot.Incidents;

namespace IncidentBot.Assistant;

/// <summary>
/// One way of writing the assistant's answers. The deterministic engine is always there and always last;
/// a model-backed engine goes before it, and whenever it fails, times out or is rate-limited,
/// <see cref="IncidentAssistant"/> asks the next one. Engines only read: storing drafts and recording
/// timeline entries is <see cref="IncidentAssistant"/>'s work.
/// </summary>
public interface IAssistantEngine
{
    /// <summary>Shown with every answer (<see cref="AssistantAnswer.Engine"/>).</summary>
    string Name { get; }

    Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default);

    Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default);

    /// <summary>Answers a question read by <see cref="QuestionParser"/>; a model may prefer <see cref="AssistantQuestion.Text"/>.</summary>
    Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, CancellationToken cancellationToken = default);

    /// <summary>Writes the postmortem draft of a resolved incident (the caller has checked it may have one).</summary>
    Task<PostmortemAnswer> WritePostmortemAsync(Incident incident, CancellationToken cancellationToken = default);
}
