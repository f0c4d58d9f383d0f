using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>
/// The assistant as Slack and the REST API call it. Asks the engines in order (a model-backed one first,
/// when configured; the deterministic one always last), so a failing model never leaves a responder without
/// an answer. Reading is the engines' work; the one thing written (a postmortem draft with its timeline entry)
/// goes through the application layer from here, and only on a request recognised by fixed rules, never on a
/// model's say.
/// </summary>
public sealed class IncidentAssistant(
    IEnumerable<IAssistantEngine> engines,
    IIncidentReader reader,
    IncidentService incidents,
    TimeProvider time,
    ILogger<IncidentAssistant> logger)
{
    /// <summary>A postmortem is drafted from at least this many messages and posts.</summary>
    public const int MinPostmortemMessages = 15;

    private readonly IReadOnlyList<IAssistantEngine> engines =
        [.. engines.OrderBy(engine => engine.Name == AssistantEngines.Deterministic ? 1 : 0)];

    public Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default) =>
        AskAsync(engine => engine.SummarizeAsync(number, cancellationToken), cancellationToken);

    /// <summary>Other incidents open in the past two hours, ranked by similarity to this one.</summary>
    public Task<RelatedAnswer> FindRelatedAsync(long number, CancellationToken cancellationToken = default) =>
        FindRelatedAsync(new RelatedRequest(number), cancellationToken);

    /// <summary>With a query: incidents matching it within the window (all history without one); else related to the incident.</summary>
    public Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) =>
        AskAsync(engine => engine.FindRelatedAsync(request, cancellationToken), cancellationToken);

    /// <param name="currentIncident">The incident of the channel the question was asked in, if any.</param>
    /// <param name="actorId">Who asked; recorded when the question asks for a postmortem draft.</param>
    public async Task<QuestionAnswer> AnswerAsync(
        string question, long? currentIncident = null, string? actorId = null, CancellationToken cancellationToken = default)
    {
        var parsed = QuestionParser.Parse(question, time.GetUtcNow(), currentIncident);
        if (parsed.Kind != QuestionKind.Postmortem)
        {
            return await AskAsync(engine => engine.AnswerAsync(parsed, cancellationToken), cancellationToken);
        }

        if (parsed.Incident is not { } number)
        {
            return await AskAsync(engine => engine.AnswerAsync(parsed, cancellationToken), cancellationToken);
        }

        var drafted = await DraftPostmortemAsync(number, actorId, cancellationToken);
        var incident = await reader.GetAsync(number, cancellationToken);
        return new QuestionAnswer
        {
            Kind = parsed.KindName,
            Text = drafted.Refusal is { } refusal ? refusal + "\n" : drafted.Text,
            Citations = drafted.Citations,
            Engine = drafted.Engine,
            FallbackReason = drafted.FallbackReason,
            Incidents = incident is null ? [] : [IncidentBrief.Of(incident)],
        };
    }

    /// <summary>
    /// Writes a postmortem draft of a resolved or completed incident with at least
    /// <see cref="MinPostmortemMessages"/> messages, stores it as the next version and records a
    /// <c>postmortem_drafted</c> timeline entry. Otherwise nothing is written and <see cref="PostmortemAnswer.Refusal"/> says why.
    /// </summary>
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    public async Task<PostmortemAnswer> DraftPostmortemAsync(long number, string? actorId, CancellationToken cancellationToken = default)
    {
        IncidentFieldRules.UserId(actorId, "actor");
        var incident = await reader.GetRequiredAsync(number, cancellationToken);
        if (incident.Status.IsOpen())
        {
            return Refused(incident, $"{incident.Reference} is {incident.Status.ToLabel()}: a postmortem is drafted once the incident is resolved or completed.");
        }

        var messages = await reader.CountMessagesAsync(number, cancellationToken);
        if (messages < MinPostmortemMessages)
        {
            return Refused(incident, $"{incident.Reference} has {messages} timeline message{(messages == 1 ? "" : "s")}; "
                + $"a postmortem draft needs at least {MinPostmortemMessages} to be worth writing.");
        }

        var written = await AskAsync(engine => engine.WritePostmortemAsync(incident, cancellationToken), cancellationToken);
        var draft = await incidents.AddPostmortemDraftAsync(number, written.Text, written.Engine, actorId, cancellationToken);
        return written with { Draft = draft };
    }

    /// <summary>Latest first.</summary>
    public async Task<IReadOnlyList<PostmortemDraft>> ListPostmortemDraftsAsync(long number, CancellationToken cancellationToken = default)
    {
        await reader.GetRequiredAsync(number, cancellationToken);
        return await reader.GetPostmortemDraftsAsync(number, cancellationToken);
    }

    /// <summary>
    /// Asks each engine in turn; an engine's failure (not the caller's cancellation, not a missing or invalid
    /// incident, which every engine would report alike) passes the question to the next, and the answer says so.
    /// </summary>
    private async Task<T> AskAsync<T>(Func<IAssistantEngine, Task<T>> ask, CancellationToken cancellationToken)
        where T : AssistantAnswer
    {
        string? fallbackReason = null;
        for (var i = 0; ; i++)
        {
            var engine = engines[i];
            try
            {
                var answer = await ask(engine);
                return fallbackReason is null ? answer : (T)(answer with { FallbackReason = fallbackReason });
            }
            catch (ModelUnavailableException e) when (i < engines.Count - 1 && !cancellationToken.IsCancellationRequested)
            {
                // Expected while a model is down: its circuit breaker logs that once, not every answer.
                logger.LogDebug(e, "The {Engine} engine did not answer; asking the {Next} engine", engine.Name, engines[i + 1].Name);
                fallbackReason = $"The {engine.Name} engine did not answer: the model {e.Reason}. This answer is from the {engines[i + 1].Name} engine.";
            }
            catch (Exception e) when (i < engines.Count - 1 && !cancellationToken.IsCancellationRequested
                && e is not (IncidentNotFoundException or IncidentValidationException))
            {
                logger.LogWarning(e, "The {Engine} engine failed; asking the {Next} engine", engine.Name, engines[i + 1].Name);
                fallbackReason = $"The {engine.Name} engine did not answer ({e.GetType().Name}); this answer is from the {engines[i + 1].Name} engine.";
            }
        }
    }

    private static PostmortemAnswer Refused(Incident incident, string reason) =>
        new() { Number = incident.Number, Refusal = reason, Text = reason, Citations = [new Citation(incident.Number)] };
}
