using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Questions answered without a model, by fixed, explainable rules: counts and lists by status, severity, service and
/// time frame, root causes, remediation, symptoms and searches of history, through the same read-only
/// <see cref="IncidentPlugin"/> a model would use.
/// </summary>
public sealed class DeterministicQuestions(IncidentPlugin plugin, TimeProvider time) : IQuestionStep
{
    public const int MaxListed = 25;

    /// <summary>A symptom is compared with open incidents first, then with those of the past week.</summary>
    private static readonly TimeSpan SymptomLookback = TimeSpan.FromDays(7);

    private static readonly IncidentStatus[] OpenStatuses = [IncidentStatus.Active, IncidentStatus.Stable];

    private readonly IncidentHits search = new(plugin);

    public string Engine => AssistantEngines.Deterministic;

    public async Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken = default) =>
        question.Kind switch
        {
            QuestionKind.Count or QuestionKind.List => await ListAnswerAsync(question, cancellationToken),
            QuestionKind.RootCause or QuestionKind.Remediation when question.Incident is null => NeedIncident(question),
            QuestionKind.RootCause => await RootCauseAnswerAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Remediation => await RemediationAnswerAsync(question, Found(question, incident), cancellationToken),
            QuestionKind.Symptom => await SymptomAnswerAsync(question, cancellationToken),
            _ => await SearchAnswerAsync(question, cancellationToken),
        };

    /// <summary>The fixed reply to a summary, related or postmortem question that names nothing to work on; null otherwise.</summary>
    public static QuestionAnswer? FixedReply(AssistantQuestion question) => question.Kind switch
    {
        QuestionKind.Summary when question.Incident is null => NeedIncident(question),
        QuestionKind.Related when question.Query is null && question.Incident is null => Plain(question,
            "Related to what? Ask in an incident's channel, name one (e.g. INC-42), or give words: “incidents related to DDOS attacks from the past month”."),
        QuestionKind.Postmortem when question.Incident is null => Plain(question,
            "Postmortem drafts are written with `/incident postmortem` in the incident's channel, or `POST /api/incidents/{ref}/postmortem`."),
        _ => null,
    };

    /// <summary>Counts and lists by status, severity, service and time frame.</summary>
    private async Task<QuestionAnswer> ListAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var (services, unknown) = await ResolveServicesAsync(question.ServiceWords, cancellationToken);
        if (unknown.Count > 0 && services.Count == 0 && question.Text.Contains("service", StringComparison.OrdinalIgnoreCase))
        {
            return await ServiceWordsSearchAsync(question, unknown, cancellationToken);
        }

        var statuses = question.Statuses.Count > 0 ? question.Statuses : null;
        var severities = question.Severities.Count > 0 ? question.Severities : null;
        var serviceFilter = services.Count > 0 ? services : null;
        var count = await plugin.CountIncidentsAsync(statuses, severities, serviceFilter, question.Since, question.Until, cancellationToken);
        var limit = question.Kind == QuestionKind.Count ? 10 : MaxListed;
        var incidents = count == 0
            ? []
            : await plugin.FindIncidentsAsync(statuses, severities, serviceFilter, question.Since, question.Until, limit, cancellationToken);
        var description = DescribeFilter(question, services);

        var writer = new AnswerWriter();
        writer.Line(count == 0
            ? $"No {description}."
            : $"**{count}** {(count == 1 ? Singular(description) : description)}{(incidents.Count < count ? $" (the {incidents.Count} most recent below)" : "")}:");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        if (incidents.Count > 0)
        {
            writer.Line();
        }

        foreach (var incident in incidents)
        {
            var brief = IncidentBrief.Of(incident);
            var serviceList = incident.Services.Count == 0 ? "" : $", services {string.Join(", ", incident.Services)}";
            writer.Bullet($"{AnswerWriter.Describe(brief)} — {IncidentHits.When(brief)}{serviceList}", new Citation(incident.Number));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. incidents.Select(IncidentBrief.Of)],
            Count = count,
        };
    }

    /// <summary>"payments" finds the services named payments, payment, payments-api, checkout-payments ….</summary>
    private async Task<(IReadOnlyList<string> Services, IReadOnlyList<string> Unknown)> ResolveServicesAsync(
        IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        if (words.Count == 0)
        {
            return ([], []);
        }

        var known = await plugin.ListServicesAsync(cancellationToken);
        var services = new List<string>();
        var unknown = new List<string>();
        foreach (var word in words)
        {
            var stem = SearchWords.Stem(word);
            var matching = known.Where(name => name == word
                || SearchTerms.SplitWords(name).Any(part => part == word || SearchWords.Stem(part) == stem)).ToList();
            if (matching.Count == 0)
            {
                unknown.Add(word);
            }

            services.AddRange(matching.Except(services));
        }

        return (services, unknown);
    }

    /// <summary>No service has that name: say so, and look for incidents that mention it instead.</summary>
    private async Task<QuestionAnswer> ServiceWordsSearchAsync(AssistantQuestion question, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var hits = await search.SearchAsync(words, new IncidentFilter
        {
            ActiveFrom = question.Since,
            ActiveUntil = question.Until,
            Severities = question.Severities.Count > 0 ? question.Severities : null,
            Statuses = question.Statuses.Count > 0 ? question.Statuses : null,
            Limit = IncidentHits.Max,
        }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"No service is named {IncidentHits.Quote(words)}; incidents{(question.TimeFrame is null ? "" : $" in {question.TimeFrame}")} that mention it:");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        IncidentHits.Write(writer, hits, "None.");
        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. hits.Select(h => h.Incident)],
            Count = hits.Count,
        };
    }

    private async Task<QuestionAnswer> RootCauseAnswerAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken);
        var lines = new List<CitedLine>();
        DigestLines.AddField(lines, incident, digest, "resolutionSummary", "Resolution summary", incident.ResolutionSummary);
        lines.AddRange(DigestLines.Cite(digest.RootCause, incident));
        return AboutIncident(
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
        return AboutIncident(
            question,
            incident,
            $"**What the responders did in {incident.Reference} · {incident.Title}** ({incident.Status.ToLabel()})",
            $"Actions, status changes and messages that read like actions ({AnswerWriter.EngineNote}); times in UTC.",
            lines,
            $"No action is recorded in the timeline of {incident.Reference} yet.");
    }

    /// <summary>An answer about one incident: a heading, a note on where it comes from, then its cited lines, or what is missing.</summary>
    private static QuestionAnswer AboutIncident(
        AssistantQuestion question, Incident incident, string heading, string note, IReadOnlyList<CitedLine> lines, string whenEmpty)
    {
        var writer = new AnswerWriter();
        writer.Line(heading);
        writer.Line($"_{note}_");
        writer.Line();
        if (lines.Count == 0)
        {
            writer.Line(whenEmpty);
        }

        foreach (var line in lines)
        {
            writer.Bullet(line);
        }

        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [IncidentBrief.Of(incident)] };
    }

    /// <summary>"A customer is unable to check out. Is there an incident?": open incidents that match, else recent ones.</summary>
    private async Task<QuestionAnswer> SymptomAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(question.Query);
        if (words.Count == 0)
        {
            return await ListAnswerAsync(question with { Kind = QuestionKind.List, Statuses = OpenStatuses }, cancellationToken);
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

    private async Task<QuestionAnswer> SearchAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(question.Query);
        if (words.Count == 0)
        {
            return Plain(question, Help);
        }

        var hits = await search.SearchAsync(words, new IncidentFilter { ActiveFrom = question.Since, ActiveUntil = question.Until, Limit = 5 }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"I searched incident history for {IncidentHits.Quote(words)}{(question.TimeFrame is null ? "" : $" in {question.TimeFrame}")}:");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        IncidentHits.Write(writer, hits, "No incident matches.");
        writer.Line().Line(Help);
        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [.. hits.Select(h => h.Incident)] };
    }

    private const string Help =
        "I can answer: “give me a summary of this incident”, “are there any related incidents?”, “find me incidents related to DDOS attacks "
        + "from the past month”, “how many incidents are currently ongoing?”, “show me all Sev-1 incidents that occurred in the past week”, "
        + "“were there any incidents in the past month that impacted the payments service?”, “what was the root cause of incident-123?”, "
        + "“what remediation actions did the responders take in incident-123?”, “a customer is unable to check out. Is there an incident?”, "
        + "“draft a postmortem”.";

    private static string DescribeFilter(AssistantQuestion question, IReadOnlyList<string> services)
    {
        var parts = new List<string>();
        if (question.Statuses.Count > 0)
        {
            parts.Add(question.Statuses.All(IncidentStatusText.IsOpen) && question.Statuses.Count == 2
                ? "ongoing (active or stable)"
                : string.Join(" or ", question.Statuses.Select(s => s.ToLabel())));
        }

        if (question.Severities.Count > 0)
        {
            parts.Add(string.Join(" or ", question.Severities.Select(s => s.ToLabel())));
        }

        parts.Add("incidents");
        if (services.Count > 0)
        {
            parts.Add($"that affected {string.Join(" or ", services)}");
        }

        if (question.TimeFrame is { } frame)
        {
            parts.Add($"open at some time in {frame}");
        }

        return string.Join(" ", parts);
    }

    private static string Singular(string description) => description.Replace("incidents", "incident", StringComparison.Ordinal);

    private static Incident Found(AssistantQuestion question, Incident? incident) =>
        incident ?? throw new IncidentNotFoundException(question.Incident!.Value);

    private static QuestionAnswer NeedIncident(AssistantQuestion question) =>
        Plain(question, "Which incident? Name it (e.g. INC-42, incident-42) or ask in the incident's channel.");

    private static QuestionAnswer Plain(AssistantQuestion question, string text) =>
        new() { Kind = question.KindName, Text = text + $"\n_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._\n", Citations = [] };
}
