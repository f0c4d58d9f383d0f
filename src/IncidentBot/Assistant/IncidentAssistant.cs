using IncidentBot.Assistant.Catchup;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Assistant.Questions;
using IncidentBot.Assistant.Related;
using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>
/// The assistant as Slack and the REST API call it. Each feature (summary, related incidents, questions, postmortem
/// drafts) is asked through its <see cref="FeatureSteps{TStep}"/>: the model step first when a model is configured,
/// the deterministic core always last, so a failing model never leaves a responder without an answer. The incident
/// a request is about is read once here and handed to the steps. The one thing written (a postmortem draft with its
/// timeline entry) goes through the application layer from here, and only on a request recognised by fixed rules,
/// never on a model's say.
/// </summary>
public sealed class IncidentAssistant(
    FeatureSteps<ISummaryStep> summaries,
    FeatureSteps<IRelatedStep> related,
    FeatureSteps<IQuestionStep> questions,
    FeatureSteps<IPostmortemStep> postmortems,
    FeatureSteps<ICatchupStep> catchups,
    IIncidentReader reader,
    IncidentService incidents,
    TimeProvider time)
{
    /// <summary>A postmortem is drafted from at least this many messages and posts.</summary>
    public const int MinPostmortemMessages = 15;

    /// <summary>What <see cref="IIncidentReader.CountMessagesAsync"/> counts, in a responder's words.</summary>
    public const string MessagesCounted =
        "A message is one written in the incident's Slack channel, or an update, action or resolution posted to it (with `/incident update` or the REST API); "
        + "deleted messages and the automatic entries (declaration, status, severity and commander changes, joins) do not count.";

    public async Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default) =>
        await SummarizeAsync(await reader.GetRequiredAsync(number, cancellationToken), cancellationToken);

    /// <summary>
    /// What changed in the incident since <see cref="CatchupRequest.Since"/>, else since the person's last entry in its
    /// timeline. Someone with no entry there gets the summary of the whole incident, which says so.
    /// </summary>
    public async Task<CatchupAnswer> CatchUpAsync(CatchupRequest request, CancellationToken cancellationToken = default)
    {
        var incident = await reader.GetRequiredAsync(request.Number, cancellationToken);
        return await CatchUpAsync(incident, request, cancellationToken);
    }

    /// <summary>Other incidents open in the past two hours, ranked by similarity to this one.</summary>
    public Task<RelatedAnswer> FindRelatedAsync(long number, CancellationToken cancellationToken = default) =>
        FindRelatedAsync(new RelatedRequest(number), cancellationToken);

    /// <summary>With a query: incidents matching it within the window (all history without one); else related to the incident.</summary>
    public async Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) =>
        await FindRelatedAsync(request, await SubjectAsync(request, null, cancellationToken), cancellationToken);

    /// <summary>Reads a question by fixed rules (<see cref="QuestionParser"/>); what it asks for decides where it goes.</summary>
    /// <param name="currentIncident">The incident of the channel the question was asked in, if any.</param>
    public AssistantQuestion Read(string question, long? currentIncident = null) =>
        QuestionParser.Parse(question, time.GetUtcNow(), currentIncident);

    /// <param name="currentIncident">The incident of the channel the question was asked in, if any.</param>
    /// <param name="actorId">Who asked; recorded when the question asks for a postmortem draft.</param>
    public Task<QuestionAnswer> AnswerAsync(
        string question, long? currentIncident = null, string? actorId = null, CancellationToken cancellationToken = default) =>
        AnswerAsync(Read(question, currentIncident), actorId, cancellationToken);

    /// <summary>
    /// A question about a summary, related incidents or a postmortem goes to that feature; any other to the question
    /// steps. The incident it is about is read once, for whichever step answers.
    /// </summary>
    /// <param name="actorId">Who asked; recorded when the question asks for a postmortem draft.</param>
    public async Task<QuestionAnswer> AnswerAsync(AssistantQuestion asked, string? actorId = null, CancellationToken cancellationToken = default)
    {
        if (asked.TooLongAt is { } length)
        {
            return QuestionHelp.TooLong(asked, length);
        }

        var (question, named) = await IncidentNames.ResolveAsync(reader, asked, cancellationToken);
        if ((named ?? DeterministicQuestions.FixedReply(question)) is { } reply)
        {
            return reply;
        }

        var incident = question.Incident is { } number ? await reader.GetAsync(number, cancellationToken) : null;
        switch (question.Kind)
        {
            case QuestionKind.Postmortem:
                var drafted = await DraftAsync(question.Incident!.Value, incident, actorId, cancellationToken);
                return Answer(question, drafted with { Text = drafted.Refusal is { } refusal ? refusal + "\n" : drafted.Text }, [IncidentBrief.Of(incident!)]);
            case QuestionKind.Summary:
                var summary = await SummarizeAsync(Required(incident, question.Incident!.Value), cancellationToken);
                return Answer(question, summary, [summary.Incident]);
            case QuestionKind.Catchup:
                var caught = await CatchUpAsync(Required(incident, question.Incident!.Value), new CatchupRequest(question.Incident!.Value, actorId, question.Since), cancellationToken);
                return Answer(question, caught, [caught.Incident]);
            case QuestionKind.Related:
                var request = new RelatedRequest(question.Incident, question.Query, question.Since, question.Until);
                var hits = await FindRelatedAsync(request, await SubjectAsync(request, incident, cancellationToken), cancellationToken);
                return Answer(question, hits, [.. hits.Hits.Select(h => h.Incident)]);
            default:
                return await questions.AskAsync(step => step.AnswerAsync(question, incident, cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// Writes a postmortem draft of a resolved or completed incident with at least
    /// <see cref="MinPostmortemMessages"/> messages, stores it as the next version and records a
    /// <c>postmortem_drafted</c> timeline entry. Otherwise nothing is written and <see cref="PostmortemAnswer.Refusal"/> says why.
    /// </summary>
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    public Task<PostmortemAnswer> DraftPostmortemAsync(long number, string? actorId, CancellationToken cancellationToken = default) =>
        DraftAsync(number, null, actorId, cancellationToken);

    /// <summary>The same, for an incident the caller has read already.</summary>
    public Task<PostmortemAnswer> DraftPostmortemAsync(Incident incident, string? actorId, CancellationToken cancellationToken = default) =>
        DraftAsync(incident.Number, incident, actorId, cancellationToken);

    /// <summary>Why the incident may not have a postmortem draft yet by its status; null when it may.</summary>
    public static string? RefusesPostmortem(Incident incident) => incident.Status.IsOpen()
        ? $"{incident.Reference} is {incident.Status.ToLabel()}: a postmortem is drafted once the incident is resolved or completed."
        : null;

    /// <summary>Latest first.</summary>
    public async Task<IReadOnlyList<PostmortemDraft>> ListPostmortemDraftsAsync(long number, CancellationToken cancellationToken = default)
    {
        await reader.GetRequiredAsync(number, cancellationToken);
        return await reader.GetPostmortemDraftsAsync(number, cancellationToken);
    }

    private Task<SummaryAnswer> SummarizeAsync(Incident incident, CancellationToken cancellationToken) =>
        summaries.AskAsync(step => step.SummarizeAsync(incident, cancellationToken), cancellationToken);

    private async Task<CatchupAnswer> CatchUpAsync(Incident incident, CatchupRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request.Since > now)
        {
            throw new IncidentValidationException("since", $"{AnswerWriter.Time(request.Since.Value)} is in the future; catch up from a time that has passed.");
        }

        var window = request.Since is { } since ? CatchupWindow.FromTime(since, request.UserId)
            : request.UserId is not { } user ? throw new IncidentValidationException("user", "Say whose last look to catch up from, or since when.")
            : await reader.GetLastEntryByAsync(incident.Number, user, request.Before ?? new TimelineCursor(now, long.MaxValue), cancellationToken) is { } seen
                ? CatchupWindow.AfterEntry(seen, user)
                : null;
        return window is null
            ? await WholeIncidentAsync(incident, request.UserId!, cancellationToken)
            : await catchups.AskAsync(step => step.CatchUpAsync(incident, window, cancellationToken), cancellationToken);
    }

    /// <summary>For someone the timeline has never heard from, everything is new.</summary>
    private async Task<CatchupAnswer> WholeIncidentAsync(Incident incident, string userId, CancellationToken cancellationToken)
    {
        var summary = await SummarizeAsync(incident, cancellationToken);
        return new CatchupAnswer
        {
            Text = $"_{AnswerWriter.Person(userId)} has no message, post or change in {incident.Reference}'s timeline yet, so all of it is new: here is the whole incident._\n{summary.Text}",
            Citations = summary.Citations,
            Engine = summary.Engine,
            FallbackReason = summary.FallbackReason,
            Incident = summary.Incident,
            Basis = CatchupBasis.Never,
            UserId = userId,
            EntriesRead = summary.EntriesRead,
            Findings = [.. summary.Impact, .. summary.Hypothesis],
            Actions = [.. summary.Done, .. summary.TryingNow],
            OpenQuestions = summary.OpenQuestions,
        };
    }

    private Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken) =>
        related.AskAsync(step => step.FindRelatedAsync(request, subject, cancellationToken), cancellationToken);

    /// <summary>The incident to find others related to, when the request has no words: the one read already, if it is that one.</summary>
    private async Task<Incident?> SubjectAsync(RelatedRequest request, Incident? loaded, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            return null;
        }

        return request.Number is not { } number ? throw new IncidentValidationException("q", "Name an incident, or give words to search for.")
            : loaded?.Number == number ? loaded
            : await reader.GetRequiredAsync(number, cancellationToken);
    }

    private async Task<PostmortemAnswer> DraftAsync(long number, Incident? loaded, string? actorId, CancellationToken cancellationToken)
    {
        IncidentFieldRules.UserId(actorId, "actor");
        var incident = loaded ?? await reader.GetRequiredAsync(number, cancellationToken);
        if (RefusesPostmortem(incident) is { } refusal)
        {
            return Refused(incident, refusal);
        }

        var messages = await reader.CountMessagesAsync(number, cancellationToken);
        if (messages < MinPostmortemMessages)
        {
            return Refused(incident, $"{incident.Reference} has {messages} timeline message{(messages == 1 ? "" : "s")}; "
                + $"a postmortem draft needs at least {MinPostmortemMessages} to be worth writing. {MessagesCounted}");
        }

        var written = await postmortems.AskAsync(step => step.WriteAsync(incident, messages, cancellationToken), cancellationToken);
        var draft = await incidents.AddPostmortemDraftAsync(number, written.Text, written.Engine, actorId, cancellationToken);
        return written with { Draft = draft };
    }

    private static Incident Required(Incident? incident, long number) => incident ?? throw new IncidentNotFoundException(number);

    private static QuestionAnswer Answer(AssistantQuestion question, AssistantAnswer answer, IReadOnlyList<IncidentBrief> about) => new()
    {
        Kind = question.KindName,
        Text = answer.Text,
        Citations = answer.Citations,
        Engine = answer.Engine,
        FallbackReason = answer.FallbackReason,
        Incidents = about,
    };

    private static PostmortemAnswer Refused(Incident incident, string reason) =>
        new() { Number = incident.Number, Refusal = reason, Text = reason, Citations = [new Citation(incident.Number)] };
}
