using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

public sealed partial class DeterministicEngine
{
    public const int MaxListed = 25;

    /// <summary>A symptom is compared with open incidents first, then with those of the past week.</summary>
    private static readonly TimeSpan SymptomLookback = TimeSpan.FromDays(7);

    private static readonly IncidentStatus[] OpenStatuses = [IncidentStatus.Active, IncidentStatus.Stable];

    public async Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, CancellationToken cancellationToken = default) =>
        question.Kind switch
        {
            QuestionKind.Summary => await SummaryAnswerAsync(question, cancellationToken),
            QuestionKind.Related => await RelatedAnswerAsync(question, cancellationToken),
            QuestionKind.Count or QuestionKind.List => await ListAnswerAsync(question, cancellationToken),
            QuestionKind.RootCause => await RootCauseAnswerAsync(question, cancellationToken),
            QuestionKind.Remediation => await RemediationAnswerAsync(question, cancellationToken),
            QuestionKind.Symptom => await SymptomAnswerAsync(question, cancellationToken),
            QuestionKind.Postmortem => Plain(question, "Postmortem drafts are written with `/incident postmortem` in the incident's channel, or `POST /api/incidents/{ref}/postmortem`."),
            _ => await SearchAnswerAsync(question, cancellationToken),
        };

    private async Task<QuestionAnswer> SummaryAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Incident is not { } number)
        {
            return NeedIncident(question);
        }

        var summary = await SummarizeAsync(number, cancellationToken);
        return new QuestionAnswer { Kind = question.KindName, Text = summary.Text, Citations = summary.Citations, Incidents = [summary.Incident] };
    }

    private async Task<QuestionAnswer> RelatedAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Query is null && question.Incident is null)
        {
            return Plain(question, "Related to what? Ask in an incident's channel, name one (e.g. INC-42), or give words: “incidents related to DDOS attacks from the past month”.");
        }

        var related = await FindRelatedAsync(new RelatedRequest(question.Incident, question.Query, question.Since, question.Until), cancellationToken);
        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = related.Text,
            Citations = related.Citations,
            Incidents = [.. related.Hits.Select(h => h.Incident)],
        };
    }

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
        writer.Line($"_{Capitalized(AnswerWriter.EngineNote)}._");
        if (incidents.Count > 0)
        {
            writer.Line();
        }

        foreach (var incident in incidents)
        {
            var brief = IncidentBrief.Of(incident);
            var serviceList = incident.Services.Count == 0 ? "" : $", services {string.Join(", ", incident.Services)}";
            writer.Bullet($"{AnswerWriter.Describe(brief)} — {When(brief)}{serviceList}", new Citation(incident.Number));
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
        var hits = await SearchHitsAsync(words, new IncidentFilter
        {
            ActiveFrom = question.Since,
            ActiveUntil = question.Until,
            Severities = question.Severities.Count > 0 ? question.Severities : null,
            Statuses = question.Statuses.Count > 0 ? question.Statuses : null,
            Limit = MaxHits,
        }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"No service is named {Quote(words)}; incidents{(question.TimeFrame is null ? "" : $" in {question.TimeFrame}")} that mention it:");
        writer.Line($"_{Capitalized(AnswerWriter.EngineNote)}._");
        WriteHits(writer, hits, "None.");
        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. hits.Select(h => h.Incident)],
            Count = hits.Count,
        };
    }

    private async Task<QuestionAnswer> RootCauseAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Incident is not { } number)
        {
            return NeedIncident(question);
        }

        var incident = await plugin.GetIncidentAsync(IncidentReference.Format(number), cancellationToken);
        var digest = await DigestAsync(incident, cancellationToken);
        var lines = new List<CitedLine>();
        AddField(lines, incident, digest, "resolutionSummary", "Resolution summary", incident.ResolutionSummary);
        lines.AddRange(Cite(digest.RootCause, incident));
        var writer = new AnswerWriter();
        writer.Line($"**Root cause of {incident.Reference} · {incident.Title}** ({incident.Status.ToLabel()})");
        writer.Line($"_What the timeline says about the cause ({AnswerWriter.EngineNote}); times in UTC._");
        writer.Line();
        if (lines.Count == 0)
        {
            writer.Line($"The timeline of {incident.Reference} does not state a root cause yet. Record it with `/incident resolve <summary>`, or a message saying “root cause: …”.");
        }

        foreach (var line in lines)
        {
            writer.Bullet(line);
        }

        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [IncidentBrief.Of(incident)] };
    }

    private async Task<QuestionAnswer> RemediationAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Incident is not { } number)
        {
            return NeedIncident(question);
        }

        var incident = await plugin.GetIncidentAsync(IncidentReference.Format(number), cancellationToken);
        var digest = await DigestAsync(incident, cancellationToken, doneCapacity: 20);
        var lines = new List<CitedLine>();
        AddField(lines, incident, digest, "mitigationSummary", "Mitigation summary", incident.MitigationSummary);
        AddField(lines, incident, digest, "resolutionSummary", "Resolution summary", incident.ResolutionSummary);

        // The entries that set those summaries are in the timeline too; each is said once.
        var said = lines.SelectMany(l => l.Sources).ToHashSet();
        lines.AddRange(Cite(digest.Done.Where(e => !said.Contains(e.Citation)), incident));
        var writer = new AnswerWriter();
        writer.Line($"**What the responders did in {incident.Reference} · {incident.Title}** ({incident.Status.ToLabel()})");
        writer.Line($"_Actions, status changes and messages that read like actions ({AnswerWriter.EngineNote}); times in UTC._");
        writer.Line();
        if (lines.Count == 0)
        {
            writer.Line($"No action is recorded in the timeline of {incident.Reference} yet.");
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
        var hits = await SearchHitsAsync(words, new IncidentFilter { Statuses = OpenStatuses, Limit = 3 }, cancellationToken);
        if (hits.Count > 0)
        {
            writer.Line($"**Possibly: {(hits.Count == 1 ? "this open incident matches" : "these open incidents match")}** {Quote(words)}, best match first:");
        }
        else
        {
            hits = await SearchHitsAsync(words, new IncidentFilter { ActiveFrom = now - SymptomLookback, ActiveUntil = now, Limit = 3 }, cancellationToken);
            writer.Line(hits.Count > 0
                ? $"**No open incident matches** {Quote(words)}. These of the past week did:"
                : $"**No incident matches** {Quote(words)}, open or in the past week. If customers are affected, declare one: `/incident declare <title>`.");
        }

        writer.Line($"_{Capitalized(AnswerWriter.EngineNote)}._");
        WriteHits(writer, hits, "");
        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [.. hits.Select(h => h.Incident)] };
    }

    private async Task<QuestionAnswer> SearchAnswerAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(question.Query);
        if (words.Count == 0)
        {
            return Plain(question, Help);
        }

        var hits = await SearchHitsAsync(words, new IncidentFilter { ActiveFrom = question.Since, ActiveUntil = question.Until, Limit = 5 }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"I searched incident history for {Quote(words)}{(question.TimeFrame is null ? "" : $" in {question.TimeFrame}")}:");
        writer.Line($"_{Capitalized(AnswerWriter.EngineNote)}._");
        WriteHits(writer, hits, "No incident matches.");
        writer.Line().Line(Help);
        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [.. hits.Select(h => h.Incident)] };
    }

    private const string Help =
        "I can answer: “give me a summary of this incident”, “are there any related incidents?”, “find me incidents related to DDOS attacks "
        + "from the past month”, “how many incidents are currently ongoing?”, “show me all Sev-1 incidents that occurred in the past week”, "
        + "“were there any incidents in the past month that impacted the payments service?”, “what was the root cause of incident-123?”, "
        + "“what remediation actions did the responders take in incident-123?”, “a customer is unable to check out. Is there an incident?”, "
        + "“draft a postmortem”.";

    private static void AddField(List<CitedLine> lines, Incident incident, TimelineDigest digest, string field, string label, string? value)
    {
        if (value is null)
        {
            return;
        }

        var source = digest.FieldSources.TryGetValue(field, out var entry) ? entry.Citation : new Citation(incident.Number);
        lines.Add(new CitedLine($"{label}: {EntryClassifier.Excerpt(value, 300)}", [source]));
    }

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

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static QuestionAnswer NeedIncident(AssistantQuestion question) =>
        Plain(question, "Which incident? Name it (e.g. INC-42, incident-42) or ask in the incident's channel.");

    private static QuestionAnswer Plain(AssistantQuestion question, string text) =>
        new() { Kind = question.KindName, Text = text + $"\n_{Capitalized(AnswerWriter.EngineNote)}._\n", Citations = [] };
}
