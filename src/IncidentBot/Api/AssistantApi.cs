using System.ComponentModel;
using System.Text.Json.Serialization;
using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IncidentBot.Api;

/// <summary>The assistant under <c>/api</c>: summaries, related incidents, postmortem drafts and questions in plain words.</summary>
public static class AssistantApi
{
    public const int MaxQuestionLength = 2_000;
    private const string DefaultActor = "api";

    public static IEndpointRouteBuilder MapAssistantApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireApiKey().WithTags("Assistant").ProducesApiProblems();
        api.MapGet("/incidents/{reference}/summary", Summary).WithSummary("A summary of the incident, with its sources");
        api.MapGet("/incidents/{reference}/related", Related).WithSummary("Related incidents, each with why it matched");
        api.MapPost("/incidents/{reference}/postmortem", DraftPostmortem).WithSummary("Draft a postmortem of a resolved incident")
            .ProducesBodyProblems().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/incidents/{reference}/postmortems", ListPostmortems).WithSummary("The incident's postmortem drafts, latest first");
        api.MapPost("/ask", Ask).WithSummary("A question in plain words").ProducesBodyProblems();
        return app;
    }

    private static async Task<Ok<SummaryDto>> Summary(string reference, IncidentAssistant assistant, AnswerRenderer renderer, CancellationToken cancellationToken)
    {
        var number = new RequestErrors().Reference(reference);
        var summary = await assistant.SummarizeAsync(number, cancellationToken);
        return TypedResults.Ok(SummaryDto.From(summary, await renderer.ForAsync(AnswerTarget.Markdown, SummaryDto.Texts(summary), cancellationToken)));
    }

    /// <summary>Without <c>q</c>: other incidents open since <c>since</c> (default: the past 2 hours). With it: matches in the window (default: all history).</summary>
    private static async Task<Ok<RelatedDto>> Related(
        string reference,
        IncidentAssistant assistant,
        AnswerRenderer renderer,
        TimeProvider time,
        [FromQuery] string? q,
        [FromQuery] string? since,
        [FromQuery] string? until,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var now = time.GetUtcNow();
        var from = errors.ParseTime(since, "since", now);
        var to = errors.ParseTime(until, "until", now);
        if (from >= (to ?? now))
        {
            errors.Add("since", "since must be before until (or now).");
        }

        if (q?.Length > MaxQuestionLength)
        {
            errors.Add("q", $"The query is {q.Length} characters; at most {MaxQuestionLength} fit.");
        }

        errors.ThrowIfAny();
        var answer = await assistant.FindRelatedAsync(new RelatedRequest(number, string.IsNullOrWhiteSpace(q) ? null : q, from, to), cancellationToken);
        return TypedResults.Ok(RelatedDto.From(answer, await renderer.ForAsync(AnswerTarget.Markdown, RelatedDto.Texts(answer), cancellationToken)));
    }

    /// <summary>409 with the reason when the incident is still open or its timeline is too short.</summary>
    private static async Task<Created<PostmortemDto>> DraftPostmortem(
        string reference,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] PostmortemRequest? request,
        IncidentAssistant assistant,
        AnswerRenderer renderer,
        CancellationToken cancellationToken)
    {
        var number = new RequestErrors().Reference(reference);
        var answer = await assistant.DraftPostmortemAsync(number, request?.Actor ?? DefaultActor, cancellationToken);
        if (answer.Draft is not { } draft)
        {
            throw new IncidentConflictException(answer.Refusal ?? "No postmortem draft was written.");
        }

        var say = await renderer.ForAsync(AnswerTarget.Markdown, [draft.Markdown], cancellationToken);
        return TypedResults.Created($"/api/incidents/{draft.Reference}/postmortems", PostmortemDto.From(answer, draft, say));
    }

    private static async Task<Ok<Page<PostmortemDraftDto>>> ListPostmortems(
        string reference, IncidentAssistant assistant, AnswerRenderer renderer, CancellationToken cancellationToken)
    {
        var number = new RequestErrors().Reference(reference);
        var drafts = await assistant.ListPostmortemDraftsAsync(number, cancellationToken);
        var say = await renderer.ForAsync(AnswerTarget.Markdown, drafts.Select(draft => draft.Markdown), cancellationToken);
        return TypedResults.Ok(new Page<PostmortemDraftDto>([.. drafts.Select(draft => PostmortemDraftDto.From(draft, say))], null));
    }

    private static async Task<Ok<AnswerDto>> Ask(AskRequest request, IncidentAssistant assistant, AnswerRenderer renderer, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            errors.Add("question", "Ask a question, e.g. “how many incidents are currently ongoing?”.");
        }
        else if (request.Question.Length > MaxQuestionLength)
        {
            errors.Add("question", $"The question is {request.Question.Length} characters; at most {MaxQuestionLength} fit.");
        }

        long? current = request.Incident is null ? null : errors.Reference(request.Incident);
        errors.ThrowIfAny();
        var answer = await assistant.AnswerAsync(request.Question!, current, request.Actor ?? DefaultActor, cancellationToken);
        return TypedResults.Ok(AnswerDto.From(request.Question!, answer, await renderer.RenderAsync(answer, AnswerTarget.Markdown, cancellationToken)));
    }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AskRequest(
    [property: Description("a text: the question in plain words (at most 2,000 characters)")] string? Question,
    [property: Description("a text: the incident the question is about, e.g. INC-42")] string? Incident = null,
    [property: Description(FieldForms.Actor)] string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PostmortemRequest([property: Description(FieldForms.Actor)] string? Actor = null);

public sealed record CitationDto(string Incident, long? EntryId, string? Permalink)
{
    public static CitationDto From(Citation c) => new(c.Incident, c.EntryId, c.Permalink);

    public static IReadOnlyList<CitationDto> From(IEnumerable<Citation> citations) => [.. citations.Select(From)];
}

/// <summary>The DTOs' texts are said by <c>say</c>, <see cref="AnswerRenderer.ForAsync"/> for Markdown: people by name, links in Markdown.</summary>
public sealed record CitedLineDto(string Text, IReadOnlyList<CitationDto> Sources, DateTime? At, string? Actor)
{
    public static IReadOnlyList<CitedLineDto> From(IEnumerable<CitedLine> lines, Func<string, string> say) =>
        [.. lines.Select(l => new CitedLineDto(say(l.Text), CitationDto.From(l.Sources), l.At?.UtcDateTime, l.ActorId))];
}

public sealed record IncidentBriefDto(
    string Id, long Number, string Title, string Status, string Severity, IReadOnlyList<string> Services, string? CommanderId,
    DateTime DeclaredAt, DateTime? ResolvedAt)
{
    public static IncidentBriefDto From(IncidentBrief i) =>
        new(i.Reference, i.Number, i.Title, i.Status.ToLabel(), i.Severity.ToLabel(), i.Services, i.CommanderId, i.DeclaredAt.UtcDateTime, i.ResolvedAt?.UtcDateTime);
}

public sealed record SummaryDto(
    IncidentBriefDto Incident,
    string Engine,
    string? FallbackReason,
    string Text,
    int EntriesRead,
    int Parts,
    double DurationSeconds,
    IReadOnlyList<CitedLineDto> Impact,
    IReadOnlyList<CitedLineDto> Done,
    IReadOnlyList<CitedLineDto> TryingNow,
    IReadOnlyList<CitedLineDto> OpenQuestions,
    IReadOnlyList<CitedLineDto> Hypothesis,
    IReadOnlyList<CitationDto> Citations)
{
    public static SummaryDto From(SummaryAnswer s, Func<string, string> say) => new(
        IncidentBriefDto.From(s.Incident), s.Engine, s.FallbackReason, say(s.Text), s.EntriesRead, s.Parts, Math.Round(s.Duration.TotalSeconds),
        CitedLineDto.From(s.Impact, say), CitedLineDto.From(s.Done, say), CitedLineDto.From(s.TryingNow, say), CitedLineDto.From(s.OpenQuestions, say),
        CitedLineDto.From(s.Hypothesis, say), CitationDto.From(s.Citations));

    public static IEnumerable<string> Texts(SummaryAnswer s) =>
        [s.Text, .. new[] { s.Impact, s.Done, s.TryingNow, s.OpenQuestions, s.Hypothesis }.SelectMany(lines => lines).Select(line => line.Text)];
}

public sealed record RelatedHitDto(IncidentBriefDto Incident, double Score, IReadOnlyList<CitedLineDto> Reasons);

public sealed record RelatedDto(
    string? Incident, string? Query, DateTime? Since, DateTime Until, string Engine, string? FallbackReason, string Text,
    IReadOnlyList<RelatedHitDto> Hits, IReadOnlyList<CitationDto> Citations)
{
    public static RelatedDto From(RelatedAnswer r, Func<string, string> say) => new(
        r.Number is { } n ? IncidentReference.Format(n) : null, r.Query, r.Since?.UtcDateTime, r.Until.UtcDateTime, r.Engine, r.FallbackReason, say(r.Text),
        [.. r.Hits.Select(h => new RelatedHitDto(IncidentBriefDto.From(h.Incident), h.Score, CitedLineDto.From(h.Reasons, say)))],
        CitationDto.From(r.Citations));

    public static IEnumerable<string> Texts(RelatedAnswer r) => [r.Text, .. r.Hits.SelectMany(hit => hit.Reasons).Select(line => line.Text)];
}

public sealed record PostmortemDraftDto(string Incident, int Version, string Markdown, DateTime CreatedAt, string? CreatedBy)
{
    public static PostmortemDraftDto From(PostmortemDraft d, Func<string, string> say) => new(d.Reference, d.Version, say(d.Markdown), d.CreatedAt.UtcDateTime, d.CreatedBy);
}

public sealed record PostmortemDto(
    string Incident, int Version, string Markdown, DateTime CreatedAt, string? CreatedBy, string Engine, string? FallbackReason,
    IReadOnlyList<CitationDto> Citations)
{
    public static PostmortemDto From(PostmortemAnswer answer, PostmortemDraft d, Func<string, string> say) => new(
        d.Reference, d.Version, say(d.Markdown), d.CreatedAt.UtcDateTime, d.CreatedBy, answer.Engine, answer.FallbackReason, CitationDto.From(answer.Citations));
}

/// <summary><c>understood</c> is false when the answer says what it did not understand instead of answering.</summary>
public sealed record AnswerDto(
    string Question, string Kind, string Engine, string? FallbackReason, string Text, int? Count,
    IReadOnlyList<IncidentBriefDto> Incidents, IReadOnlyList<CitationDto> Citations, bool Understood, double? DurationSeconds)
{
    /// <param name="text">The answer's text as said outside Slack (<see cref="AnswerRenderer"/>).</param>
    public static AnswerDto From(string question, QuestionAnswer a, string text) => new(
        question, a.Kind, a.Engine, a.FallbackReason, text, a.Count, [.. a.Incidents.Select(IncidentBriefDto.From)], CitationDto.From(a.Citations),
        a.Understood, a.Duration is { } d ? Math.Round(d.TotalSeconds) : null);
}
