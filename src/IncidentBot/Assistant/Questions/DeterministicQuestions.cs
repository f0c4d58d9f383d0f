using System.Text.RegularExpressions;
using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Questions answered without a model, by fixed, explainable rules: counts and lists by status, severity, service and
/// time frame, root causes, remediation, symptoms and searches of history, through the same read-only
/// <see cref="IncidentPlugin"/> a model would use.
/// </summary>
/// <summary>
/// Questions answered without a model, by fixed, explainable rules, through the same read-only
/// <see cref="IncidentPlugin"/> a model would use: counts, lists, MTTR and MTTD (<see cref="IncidentSets"/>), one
/// incident's facts, what changed and who did something (<see cref="IncidentFacts"/>), root causes, remediation,
/// symptoms. A question not understood in full gets no answer but what was not understood (<see cref="QuestionHelp"/>).
/// </summary>
public sealed partial class DeterministicQuestions(IncidentPlugin plugin, TimeProvider time, IPersonNames? names = null) : IQuestionStep
{
    public const int MaxListed = IncidentSets.MaxListed;

    /// <summary>A symptom is compared with open incidents first, then with those of the past week.</summary>
    private static readonly TimeSpan SymptomLookback = TimeSpan.FromDays(7);

    private static readonly IReadOnlyCollection<IncidentStatus> OpenStatuses = IncidentFilter.OpenStatuses;

    private readonly IncidentHits search = new(plugin);
    private readonly IncidentSets sets = new(plugin);
    private readonly IncidentTrends trends = new(new IncidentSets(plugin), time);
    private readonly IncidentFacts facts = new(plugin, time);
    private readonly PersonLookup people = new(plugin, names ?? new NoPersonNames());

    public string Engine => AssistantEngines.Deterministic;

    public async Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken = default)
    {
        switch (question.Kind)
        {
            case QuestionKind.Count or QuestionKind.List or QuestionKind.Mttr or QuestionKind.Trend or QuestionKind.Breakdown:
            case QuestionKind.Mttd when question.Incident is null:
                return await SetAnswerAsync(question, cancellationToken);
            case QuestionKind.Search:
                return await NotUnderstoodAsync(question, cancellationToken);
            case QuestionKind.Symptom:
                return await SymptomAnswerAsync(question, cancellationToken);
        }

        if (question.Unread.Count > 0)
        {
            return QuestionHelp.NotUnderstood(question, question.Unread, QuestionHelp.Understood(question));
        }

        return question.Kind switch
        {
            QuestionKind.Changes when question.Since is null && question.Incident is not null => await SummaryAnswerAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Changes when question.Since is null =>
                QuestionHelp.NotUnderstood(question, ["since when"], "what changed, but not since when: say “in the last hour”, “since 08:00”, “since Monday”"),
            QuestionKind.Changes => await facts.ChangesAsync(question, question.Incident is null ? null : Found(question, incident), cancellationToken),
            QuestionKind.WhoDid => await facts.WhoDidAsync(question, question.Incident is null ? null : Found(question, incident), cancellationToken),
            QuestionKind.PersonActivity => await ActivityAnswerAsync(question, question.Incident is null ? null : Found(question, incident), cancellationToken),
            _ when question.Incident is null => QuestionHelp.NeedIncident(question),
            QuestionKind.RootCause => await RootCauseAnswerAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Remediation => await RemediationAnswerAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Impact => await facts.ImpactAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Duration => facts.Duration(question, Found(question, incident)),
            QuestionKind.Mttd => facts.TimeToDetect(question, Found(question, incident)),
            QuestionKind.Status or QuestionKind.Severity or QuestionKind.Commander or QuestionKind.Services =>
                await facts.FieldAsync(question, Found(question, incident), cancellationToken),
            _ => QuestionHelp.NotUnderstood(question, [], QuestionHelp.Understood(question)),
        };
    }

    /// <summary>The fixed reply to a summary, related or postmortem question that names nothing to work on; null otherwise.</summary>
    public static QuestionAnswer? FixedReply(AssistantQuestion question) => question.Kind switch
    {
        QuestionKind.Summary or QuestionKind.Catchup when question.Incident is null => QuestionHelp.NeedIncident(question),
        QuestionKind.Related when question.Query is null && question.Incident is null => QuestionHelp.Plain(question,
            "Related to what? Ask in an incident's channel, name one (e.g. INC-42), or give words: “incidents related to DDOS attacks from the past month”."),
        QuestionKind.Postmortem when question.Incident is null => QuestionHelp.Plain(question,
            "Postmortem drafts are written with `/incident postmortem` in the incident's channel, or `POST /api/incidents/{ref}/postmortem`."),
        _ => null,
    };

    /// <summary>"what happened in INC-3?", with no time frame: all of it, which its summary tells.</summary>
    private async Task<QuestionAnswer> SummaryAnswerAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var summary = await new DeterministicSummary(plugin, time).SummarizeAsync(incident, cancellationToken);
        return new QuestionAnswer { Kind = "summary", Text = summary.Text, Citations = summary.Citations, Incidents = [summary.Incident] };
    }

    /// <summary>Counts, lists, MTTR and MTTD, once every word of the question is a filter.</summary>
    private async Task<QuestionAnswer> SetAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var filters = await sets.ResolveAsync(question, cancellationToken);
        if (filters.Unknown.Count > 0)
        {
            return QuestionHelp.NotUnderstood(question, filters.Unknown, QuestionHelp.Understood(question),
                "A word there is neither a service incidents have nor a word of an incident's title.");
        }

        // "what did the ddos incident do to checkout?": one incident is named, so a count or list of all would answer something else.
        if (question.Reference is not null || question.TitleWords.Count > 0)
        {
            return QuestionHelp.NotUnderstood(question, question.Unread, QuestionHelp.Understood(question),
                "It names one incident, but asks for no fact of it I know: its status, severity, commander, services, impact, duration, root cause or remediation.");
        }

        if (question is { Kind: QuestionKind.Breakdown, Per: null })
        {
            return QuestionHelp.NotUnderstood(question, ["most"], QuestionHelp.Understood(question),
                "I count incidents by service or by severity: “which service has the most incidents?”, “incidents by severity”.");
        }

        if (question.Person is { } named)
        {
            if (await people.FindAsync(named, cancellationToken) is not { } person)
            {
                return UnknownPerson(question, named);
            }

            filters = filters with { PersonId = person };
        }

        return question.Kind switch
        {
            QuestionKind.Trend => await trends.TrendAsync(question, filters, cancellationToken),
            QuestionKind.Breakdown => await trends.BreakdownAsync(question, filters, cancellationToken),
            QuestionKind.Mttr => await sets.MeanTimeAsync(question, filters, MeanFigure.TimeToResolve, cancellationToken),
            QuestionKind.Mttd => await sets.MeanTimeAsync(question, filters, MeanFigure.TimeToDetect, cancellationToken),
            _ => await sets.CountOrListAsync(question, filters, cancellationToken),
        };
    }

    private async Task<QuestionAnswer> ActivityAnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken) =>
        await people.FindAsync(question.Person!, cancellationToken) is { } person
            ? await facts.ActivityAsync(question, person, incident, cancellationToken)
            : UnknownPerson(question, question.Person!);

    private static QuestionAnswer UnknownPerson(AssistantQuestion question, QuestionPerson named) =>
        QuestionHelp.NotUnderstood(question, named.Words, QuestionHelp.Understood(question), PersonLookup.UnknownHint);

    private async Task<QuestionAnswer> RootCauseAnswerAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken);
        // The resolution summary says what fixed it, not what caused it: it is given only when no cause is stated.
        var lines = DigestLines.Cite(digest.RootCause, incident).ToList();
        if (lines.Count == 0 && incident.ResolutionSummary is not null)
        {
            DigestLines.AddField(lines, incident, digest, "resolutionSummary", "No cause is stated; the resolution summary says", incident.ResolutionSummary);
        }

        return IncidentFacts.AboutIncident(
            question,
            incident,
            $"**Root cause of {incident.Reference} · {incident.Title}** ({incident.Status.ToLabel()})",
            $"What the timeline says about the cause ({AnswerWriter.EngineNote}); times in UTC.",
            lines,
            $"The timeline of {incident.Reference} does not state a root cause yet. Record it with `/incident resolve <summary>`, or a message saying “root cause: …”.");
    }

    private async Task<QuestionAnswer> RemediationAnswerAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken, doneCapacity: 20);
        var lines = new List<CitedLine>();
        DigestLines.AddField(lines, incident, digest, "mitigationSummary", "Mitigation summary", incident.MitigationSummary);
        DigestLines.AddField(lines, incident, digest, "resolutionSummary", "Resolution summary", incident.ResolutionSummary);

        // The entries that set those summaries are in the timeline too; each is said once.
        var said = lines.SelectMany(l => l.Sources).ToHashSet();
        lines.AddRange(DigestLines.Cite(digest.Done.Where(e => !said.Contains(e.Citation)), incident));
        return IncidentFacts.AboutIncident(
            question,
            incident,
            $"**What the responders did in {incident.Reference} · {incident.Title}** ({incident.Status.ToLabel()})",
            $"Actions, status changes and messages that read like actions ({AnswerWriter.EngineNote}); times in UTC.",
            lines,
            $"No action is recorded in the timeline of {incident.Reference} yet.");
    }

    /// <summary>"A customer is unable to check out. Is there an incident?": open incidents that match, else recent ones.</summary>
    private async Task<QuestionAnswer> SymptomAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(question.Query);
        if (words.Count == 0)
        {
            // "are there any incidents?" asks for the open ones; "were there any incidents last week?" for that week's.
            var statuses = question.Statuses.Count > 0 || question.Since is not null ? question.Statuses : OpenStatuses;
            return await SetAnswerAsync(question with { Kind = QuestionKind.List, Statuses = [.. statuses] }, cancellationToken);
        }

        var now = time.GetUtcNow();
        var writer = new AnswerWriter();
        var hits = await search.SearchAsync(words, new IncidentFilter { Statuses = OpenStatuses, Limit = 3 }, cancellationToken);
        if (hits.Count > 0)
        {
            writer.Line($"**Possibly: {(hits.Count == 1 ? "this open incident matches" : "these open incidents match")}** {IncidentHits.Quote(words)}, best match first:");
        }
        else
        {
            hits = await search.SearchAsync(words, new IncidentFilter { ActiveFrom = now - SymptomLookback, ActiveUntil = now, Limit = 3 }, cancellationToken);
            writer.Line(hits.Count > 0
                ? $"**No open incident matches** {IncidentHits.Quote(words)}. These of the past week did:"
                : $"**No incident matches** {IncidentHits.Quote(words)}, open or in the past week. If customers are affected, declare one: `/incident declare <title>`.");
        }

        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        IncidentHits.Write(writer, hits, "");
        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [.. hits.Select(h => h.Incident)] };
    }

    /// <summary>
    /// Not understood: said so, with what works. When the question was only words (no question in it), the incidents
    /// that mention them follow, labelled as a search.
    /// </summary>
    private async Task<QuestionAnswer> NotUnderstoodAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(question.Query);
        if (words.Count == 0 || AsksSomething().IsMatch(question.Text))
        {
            return QuestionHelp.NotUnderstood(question, question.Unread, null);
        }

        var hits = await search.SearchAsync(words, new IncidentFilter { ActiveFrom = question.Since, ActiveUntil = question.Until, Limit = 5 }, cancellationToken);
        var answer = QuestionHelp.NotUnderstood(question, question.Unread, null, writer =>
        {
            writer.Line($"As a search of incident history for {IncidentHits.Quote(words)}{(question.Window is null ? "" : $" {question.Window}")}:");
            IncidentHits.Write(writer, hits, "No incident matches.");
        });
        return answer with { Incidents = [.. hits.Select(h => h.Incident)] };
    }

    private static Incident Found(AssistantQuestion question, Incident? incident) =>
        incident ?? throw new IncidentNotFoundException(question.Incident!.Value);

    /// <summary>A question, not just words: a search would only guess at what it asks.</summary>
    [GeneratedRegex(@"\?|\b(who|what|when|where|why|how|which|is|are|can|could|does|do|did|was|were)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksSomething();
}
