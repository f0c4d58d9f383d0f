using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

public static class AssistantEngines
{
    /// <summary>Answers from the stored data by fixed rules; needs no model and is always there.</summary>
    public const string Deterministic = "deterministic";

    /// <summary>A language model at an OpenAI-compatible endpoint writes the prose, from read-only look-ups (<c>Ai:Provider</c> openai).</summary>
    public const string Model = "model";
}

/// <summary>
/// Where a statement about an incident comes from: the incident, and the timeline entry (with its Slack
/// permalink when it was a Slack message). No entry id means the incident's own record (its current fields).
/// </summary>
public sealed record Citation(long IncidentNumber, long? EntryId = null, string? Permalink = null)
{
    public string Incident => IncidentReference.Format(IncidentNumber);

    public static Citation Of(TimelineEntry entry) => new(entry.IncidentNumber, entry.Id, entry.Slack?.Permalink);

    public override string ToString() =>
        EntryId is { } id ? $"{Incident}, timeline entry {id}{(Permalink is null ? "" : $" ({Permalink})")}" : $"{Incident} (incident record)";
}

/// <summary>One statement of an answer with its sources.</summary>
public sealed record CitedLine(string Text, IReadOnlyList<Citation> Sources, DateTimeOffset? At = null, string? ActorId = null);

/// <summary>An incident as a line of an answer needs it.</summary>
public sealed record IncidentBrief(
    long Number,
    string Reference,
    string Title,
    IncidentStatus Status,
    Severity Severity,
    IReadOnlyList<string> Services,
    string? CommanderId,
    DateTimeOffset DeclaredAt,
    DateTimeOffset? ResolvedAt)
{
    public static IncidentBrief Of(Incident i) =>
        new(i.Number, i.Reference, i.Title, i.Status, i.Severity, i.Services, i.CommanderId, i.DeclaredAt, i.ResolvedAt);
}

/// <summary>
/// What every answer carries: Markdown that reads well in Slack, the sources of each statement in it, and
/// which engine wrote it. <see cref="FallbackReason"/> is set when a model was asked first and failed.
/// </summary>
public abstract record AssistantAnswer
{
    public required string Text { get; init; }
    public required IReadOnlyList<Citation> Citations { get; init; }
    public string Engine { get; init; } = AssistantEngines.Deterministic;
    public string? FallbackReason { get; init; }
}

/// <summary>A summary of one incident: its state and what its timeline says.</summary>
public sealed record SummaryAnswer : AssistantAnswer
{
    public required IncidentBrief Incident { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>Timeline entries read, deleted ones included.</summary>
    public required int EntriesRead { get; init; }

    /// <summary>Pages of the timeline read one after another, each condensed before the next was read.</summary>
    public required int Parts { get; init; }
    public required IReadOnlyList<CitedLine> Impact { get; init; }
    public required IReadOnlyList<CitedLine> Done { get; init; }
    public required IReadOnlyList<CitedLine> TryingNow { get; init; }
    public required IReadOnlyList<CitedLine> OpenQuestions { get; init; }

    /// <summary>The root cause the timeline states, else its latest hypothesis, marked as such; empty when it has neither.</summary>
    public IReadOnlyList<CitedLine> Hypothesis { get; init; } = [];
}

/// <summary>What to look for: incidents related to one incident, or to words within a time frame (or both).</summary>
public sealed record RelatedRequest(long? Number = null, string? Query = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);

public sealed record RelatedIncident(IncidentBrief Incident, double Score, IReadOnlyList<CitedLine> Reasons);

public sealed record RelatedAnswer : AssistantAnswer
{
    public long? Number { get; init; }
    public string? Query { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset Until { get; init; }
    public required IReadOnlyList<RelatedIncident> Hits { get; init; }
}

/// <summary>An answer to a question in plain words; <see cref="Kind"/> says how the question was read.</summary>
public sealed record QuestionAnswer : AssistantAnswer
{
    public required string Kind { get; init; }

    /// <summary>The incidents the answer is about, in the order it names them.</summary>
    public IReadOnlyList<IncidentBrief> Incidents { get; init; } = [];

    /// <summary>For "how many …" questions, and the incidents an MTTR is the mean of.</summary>
    public int? Count { get; init; }

    /// <summary>False when the question was not understood in full and the answer says so instead of answering.</summary>
    public bool Understood { get; init; } = true;

    /// <summary>For MTTR and "how long …" questions: the duration the answer states.</summary>
    public TimeSpan? Duration { get; init; }
}

/// <summary>A postmortem draft, or why none was written.</summary>
public sealed record PostmortemAnswer : AssistantAnswer
{
    public required long Number { get; init; }
    public PostmortemDraft? Draft { get; init; }

    /// <summary>Set when no draft was written, saying why (e.g. the incident is still active).</summary>
    public string? Refusal { get; init; }
}
