using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

public sealed partial class DeterministicEngine
{
    /// <summary>"Related" with no words: other incidents open at some moment in the past two hours.</summary>
    public static readonly TimeSpan DefaultRelatedWindow = TimeSpan.FromHours(2);

    public const int MaxHits = 10;

    /// <summary>How many other incidents of the window are compared with this one.</summary>
    private const int MaxCandidates = 200;

    /// <summary>A shared service counts as much as a good word match.</summary>
    private const double SharedServiceWeight = 1.5;

    public async Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var until = request.Until ?? now;
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            return await RelatedToWordsAsync(request.Query, request.Number, request.Since, until, cancellationToken);
        }

        if (request.Number is not { } number)
        {
            throw new IncidentValidationException("q", "Name an incident, or give words to search for.");
        }

        return await RelatedToIncidentAsync(number, request.Since ?? until - DefaultRelatedWindow, until, cancellationToken);
    }

    private async Task<RelatedAnswer> RelatedToIncidentAsync(long number, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var incident = await plugin.GetIncidentAsync(IncidentReference.Format(number), cancellationToken);
        var words = await IncidentWordsAsync(incident, cancellationToken);
        var candidates = await plugin.FindAsync(
            new IncidentFilter { ActiveFrom = since, ActiveUntil = until, ExcludeNumber = number, Limit = MaxCandidates }, cancellationToken);
        var matches = candidates.Count == 0
            ? []
            : await plugin.SearchAsync(
                SearchTerms.Of(words), new IncidentFilter { Numbers = [.. candidates.Select(c => c.Number)], Limit = MaxCandidates }, cancellationToken);
        var byNumber = matches.ToDictionary(m => m.Number);
        var hits = candidates
            .Select(candidate =>
            {
                var match = byNumber.GetValueOrDefault(candidate.Number);
                var shared = candidate.Services.Intersect(incident.Services).ToList();
                var score = (match?.Score ?? 0) + (SharedServiceWeight * shared.Count);
                return new RelatedIncident(IncidentBrief.Of(candidate), Math.Round(score, 3), Explain(candidate, words, match, shared));
            })
            .OrderByDescending(hit => hit.Score)
            .ThenByDescending(hit => hit.Incident.DeclaredAt)
            .Take(MaxHits)
            .ToList();

        var writer = new AnswerWriter();
        writer.Line($"**Incidents related to {incident.Reference} · {incident.Title}**");
        writer.Line($"_Other incidents open at some time between {AnswerWriter.Time(since)} and {AnswerWriter.Time(until)}, most similar first "
            + $"(shared services, then shared words); {AnswerWriter.EngineNote}._");
        WriteHits(writer, hits, "No other incident was open in that time.");
        return new RelatedAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Number = number,
            Since = since,
            Until = until,
            Hits = hits,
        };
    }

    private async Task<RelatedAnswer> RelatedToWordsAsync(
        string query, long? number, DateTimeOffset? since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(query);
        var hits = await SearchHitsAsync(words, new IncidentFilter { ActiveFrom = since, ActiveUntil = until, ExcludeNumber = number, Limit = MaxHits }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"**Incidents related to “{EntryClassifier.Excerpt(query, 100)}”**");
        writer.Line(since is null
            ? $"_All incidents up to {AnswerWriter.Time(until)}, active and resolved, best match first; {AnswerWriter.EngineNote}._"
            : $"_Incidents open at some time between {AnswerWriter.Time(since.Value)} and {AnswerWriter.Time(until)}, active and resolved, best match first; {AnswerWriter.EngineNote}._");
        WriteHits(writer, hits, words.Count == 0 ? "Those words give nothing to search for." : "No incident matches those words.");
        return new RelatedAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Number = number,
            Query = query,
            Since = since,
            Until = until,
            Hits = hits,
        };
    }

    /// <summary>Incidents matching the words, best first, each with why it matched.</summary>
    internal async Task<IReadOnlyList<RelatedIncident>> SearchHitsAsync(
        IReadOnlyList<string> words, IncidentFilter filter, CancellationToken cancellationToken)
    {
        var matches = await plugin.SearchAsync(SearchTerms.Of(words), filter, cancellationToken);
        if (matches.Count == 0)
        {
            return [];
        }

        var incidents = (await plugin.FindAsync(new IncidentFilter { Numbers = [.. matches.Select(m => m.Number)], Limit = matches.Count }, cancellationToken))
            .ToDictionary(i => i.Number);
        return matches
            .Where(m => incidents.ContainsKey(m.Number))
            .Select(m => new RelatedIncident(IncidentBrief.Of(incidents[m.Number]), Math.Round(m.Score, 3), Explain(incidents[m.Number], words, m, [])))
            .ToList();
    }

    internal static void WriteHits(AnswerWriter writer, IReadOnlyList<RelatedIncident> hits, string whenNone)
    {
        if (hits.Count == 0)
        {
            writer.Line().Line(whenNone);
            return;
        }

        writer.Line();
        foreach (var hit in hits)
        {
            writer.Line($"- {AnswerWriter.Describe(hit.Incident)} — {When(hit.Incident)}{writer.Markers([new Citation(hit.Incident.Number)])}");
            foreach (var reason in hit.Reasons)
            {
                writer.Line($"  - {reason.Text}{writer.Markers(reason.Sources)}");
            }
        }
    }

    private static string When(IncidentBrief incident) =>
        incident.ResolvedAt is { } resolved
            ? $"declared {AnswerWriter.Time(incident.DeclaredAt)}, resolved {AnswerWriter.Time(resolved)}"
            : $"declared {AnswerWriter.Time(incident.DeclaredAt)}";

    /// <summary>Says which words and services an incident shares with what was searched for, each with its source.</summary>
    private static IReadOnlyList<CitedLine> Explain(Incident incident, IReadOnlyList<string> words, IncidentTextMatch? match, IReadOnlyList<string> sharedServices)
    {
        var record = new Citation(incident.Number);
        var reasons = new List<CitedLine>();
        if (sharedServices.Count > 0)
        {
            reasons.Add(new CitedLine($"shares services: {string.Join(", ", sharedServices)}", [record]));
        }

        AddWords(reasons, "title mentions", incident.Title, words, record);
        AddWords(reasons, "services match", string.Join(' ', incident.Services.Except(sharedServices)), words, record);
        var details = string.Join(' ', incident.Description, incident.CustomerImpact, incident.MitigationSummary, incident.ResolutionSummary);
        AddWords(reasons, "details mention", details, words, record);
        if (match is { EntryId: { } entryId, EntryText: { } entryText })
        {
            var found = SearchWords.FoundIn(entryText, words);
            var mentions = found.Count == 0 ? "" : $" (mentions {Quote(found)})";
            reasons.Add(new CitedLine(
                $"timeline entry {entryId}: “{EntryClassifier.Excerpt(entryText, 160)}”{mentions}", [new Citation(incident.Number, entryId, match.EntryPermalink)]));
        }

        if (reasons.Count == 0)
        {
            reasons.Add(new CitedLine(
                match is null ? "open at the same time; no shared words or services" : "its details match the words searched for", [record]));
        }

        return reasons;
    }

    private static void AddWords(List<CitedLine> reasons, string label, string? text, IReadOnlyList<string> words, Citation source)
    {
        var found = SearchWords.FoundIn(text, words);
        if (found.Count > 0)
        {
            reasons.Add(new CitedLine($"{label} {Quote(found)}", [source]));
        }
    }

    private static string Quote(IEnumerable<string> words) => string.Join(", ", words.Take(6).Select(w => $"“{w}”"));

    /// <summary>
    /// The words that say what an incident is about: its title and services count three times, its impact,
    /// description and the first hundred timeline entries once each.
    /// </summary>
    private async Task<IReadOnlyList<string>> IncidentWordsAsync(Incident incident, CancellationToken cancellationToken)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string? text, int weight)
        {
            foreach (var word in SearchWords.Words(text))
            {
                weights[word] = weights.GetValueOrDefault(word) + weight;
            }
        }

        Add(incident.Title, 3);
        Add(string.Join(' ', incident.Services), 3);
        Add(incident.CustomerImpact, 1);
        Add(incident.Description, 1);
        var firstPage = await plugin.GetTimelinePageAsync(incident.Reference, null, 100, cancellationToken);
        foreach (var entry in firstPage.Entries.Where(EntryClassifier.IsWritten))
        {
            Add(entry.Text, 1);
        }

        // Ties keep the order in which the words first came: title first.
        return weights.Select((pair, index) => (pair.Key, pair.Value, index))
            .OrderByDescending(w => w.Value)
            .ThenBy(w => w.index)
            .Take(16)
            .Select(w => w.Key)
            .ToList();
    }
}
