using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Answers a question read by <see cref="QuestionParser"/> that asks for more than a summary, related incidents or a
/// postmortem (those go to their own features); a model may prefer <see cref="AssistantQuestion.Text"/>.
/// </summary>
public interface IQuestionStep : IAssistantStep
{
    /// <param name="incident">The incident of <see cref="AssistantQuestion.Incident"/>, loaded once for every step; null when there is none.</param>
    Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken = default);
}
