using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// Related incidents without a model: those open in the same time ranked by shared services and words (BM25),
/// or those matching the words asked for, each with why it matched.
/// </summary>
public sealed class DeterministicRelated(IncidentPlugin plugin, TimeProvider time) : IRelatedStep
{
    /// <summary>"Related" with no words: other incidents open at some moment in the past two hours.</summary>
    public static readonly TimeSpan DefaultRelatedWindow = TimeSpan.FromHours(2);

    /// <summary>How many other incidents of the window are compared with this one.</summary>
    private const int MaxCandidates = 200;

    /// <summary>A shared service counts as much as a good word match.</summary>
    private const double SharedServiceWeight = 1.5;

    private readonly IncidentHits hits = new(plugin);

    public string Engine => AssistantEngines.Deterministic;

    public async Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken = default)
    {
        var until = request.Until ?? time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            return await RelatedToWordsAsync(request.Query, request.Number, request.Since, until, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(subject);
        return await RelatedToIncidentAsync(subject, request.Since ?? until - DefaultRelatedWindow, until, cancellationToken);
    }

    private async Task<RelatedAnswer> RelatedToIncidentAsync(Incident incident, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var words = await IncidentWordsAsync(incident, cancellationToken);
        var candidates = await plugin.FindAsync(
            new IncidentFilter { ActiveFrom = since, ActiveUntil = until, ExcludeNumber = incident.Number, Limit = MaxCandidates }, cancellationToken);
        var matches = candidates.Count == 0
            ? []
            : await plugin.SearchAsync(
                SearchTerms.Of(words), new IncidentFilter { Numbers = [.. candidates.Select(c => c.Number)], Limit = MaxCandidates }, cancellationToken);
        var byNumber = matches.ToDictionary(m => m.Number);
        var ranked = candidates
            .Select(candidate =>
            {
                var match = byNumber.GetValueOrDefault(candidate.Number);
                var shared = candidate.Services.Intersect(incident.Services).ToList();
                var score = (match?.Score ?? 0) + (SharedServiceWeight * shared.Count);
                return new RelatedIncident(IncidentBrief.Of(candidate), Math.Round(score, 3), IncidentHits.Explain(candidate, words, match, shared));
            })
            .OrderByDescending(hit => hit.Score)
            .ThenByDescending(hit => hit.Incident.DeclaredAt)
            .Take(IncidentHits.Max)
            .ToList();

        var writer = new AnswerWriter();
        writer.Line($"**Incidents related to {incident.Reference} · {incident.Title}**");
        writer.Line($"_Other incidents open at some time between {AnswerWriter.Time(since)} and {AnswerWriter.Time(until)}, most similar first "
            + $"(shared services, then shared words); {AnswerWriter.EngineNote}._");
        IncidentHits.Write(writer, ranked, "No other incident was open in that time.");
        return new RelatedAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Number = incident.Number,
            Since = since,
            Until = until,
            Hits = ranked,
        };
    }

    private async Task<RelatedAnswer> RelatedToWordsAsync(
        string query, long? number, DateTimeOffset? since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var words = SearchWords.Words(query);
        var found = await hits.SearchAsync(
            words, new IncidentFilter { ActiveFrom = since, ActiveUntil = until, ExcludeNumber = number, Limit = IncidentHits.Max }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"**Incidents related to “{EntryClassifier.Excerpt(query, 100)}”**");
        writer.Line(since is null
            ? $"_All incidents up to {AnswerWriter.Time(until)}, active and resolved, best match first; {AnswerWriter.EngineNote}._"
            : $"_Incidents open at some time between {AnswerWriter.Time(since.Value)} and {AnswerWriter.Time(until)}, active and resolved, best match first; {AnswerWriter.EngineNote}._");
        IncidentHits.Write(writer, found, words.Count == 0 ? "Those words give nothing to search for." : "No incident matches those words.");
        return new RelatedAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Number = number,
            Query = query,
            Since = since,
            Until = until,
            Hits = found,
        };
    }

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
