using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// Related incidents without a chat model: those open in the same time ranked by shared services and words (BM25),
/// or those matching the words asked for, and by similarity in meaning when there is an embedding model
/// (<see cref="IncidentEmbeddingModel"/>; <see cref="SemanticRanker"/> fuses the three), each with why it matched.
/// </summary>
public sealed class DeterministicRelated : IRelatedStep
{
    /// <summary>"Related" with no words: other incidents open at some moment in the past two hours.</summary>
    public static readonly TimeSpan DefaultRelatedWindow = TimeSpan.FromHours(2);

    /// <summary>How many other incidents of the window are compared with this one.</summary>
    private const int MaxCandidates = 200;

    /// <summary>A shared service counts as much as a good word match.</summary>
    private const double SharedServiceWeight = 1.5;

    private readonly IncidentPlugin plugin;
    private readonly TimeProvider time;
    private readonly IncidentHits hits;
    private readonly SemanticRanker? ranker;

    public DeterministicRelated(
        IncidentPlugin plugin, TimeProvider time, IncidentEmbeddingModel embeddingModel, IIncidentEmbeddingStore embeddings, IIncidentReader reader,
        ILogger<DeterministicRelated> logger)
    {
        this.plugin = plugin;
        this.time = time;
        hits = new IncidentHits(plugin);
        ranker = embeddingModel is { Generator: { } generator, Name: { } name }
            ? new SemanticRanker(generator, name, embeddingModel.IsKeptInBackground, embeddings, reader, plugin, time, logger)
            : null;
    }

    public string Engine => AssistantEngines.Deterministic;

    /// <summary>The embedding model the ranking uses; null when it is by words and services only.</summary>
    public string? EmbeddingModel => ranker?.Model;

    public async Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken = default) =>
        (await RankAsync(request, subject, cancellationToken)).Answer;

    /// <summary>The ranking every related answer shows; <c>Meaning</c> is null without an embedding model or when it failed.</summary>
    internal async Task<(RelatedAnswer Answer, SemanticRanking? Meaning)> RankAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken)
    {
        var until = request.Until ?? time.GetUtcNow();
        RelatedAnswer byWords;
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            byWords = await RelatedToWordsAsync(request.Query, request.Number, request.Since, until, cancellationToken);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(subject);
            byWords = await RelatedToIncidentAsync(subject, request.Since ?? until - DefaultRelatedWindow, until, cancellationToken);
        }

        var meaning = ranker is null ? null : await ranker.RankAsync(request, subject, byWords, cancellationToken);
        return (Write(byWords, subject, meaning?.Hits ?? byWords.Hits, MeaningNote(meaning), byMeaning: meaning is not null), meaning);
    }

    /// <summary>How similarity in meaning took part, for the line that says how the hits are ranked.</summary>
    private string MeaningNote(SemanticRanking? meaning) =>
        ranker is null ? ""
        : meaning is null ? "; similarity in meaning could not be computed this time"
        : $", and similarity in meaning ({ranker.Model}, {meaning.Compared} incidents compared)";

    private static RelatedAnswer Write(RelatedAnswer byWords, Incident? subject, IReadOnlyList<RelatedIncident> ranked, string meaningNote, bool byMeaning)
    {
        var writer = new AnswerWriter();
        if (subject is not null)
        {
            writer.Line($"**Incidents related to {subject.Reference} · {subject.Title}**");
            writer.Line($"_Other incidents open at some time between {AnswerWriter.Time(byWords.Since!.Value)} and {AnswerWriter.Time(byWords.Until)}, most similar first "
                + $"(shared services, then shared words{meaningNote}); {AnswerWriter.EngineNote}._");
            IncidentHits.Write(writer, ranked, "No other incident was open in that time.");
        }
        else
        {
            writer.Line($"**Incidents related to “{EntryClassifier.Excerpt(byWords.Query!, 100)}”**");
            writer.Line(byWords.Since is not { } since
                ? $"_All incidents up to {AnswerWriter.Time(byWords.Until)}, active and resolved, best match first{meaningNote}; {AnswerWriter.EngineNote}._"
                : $"_Incidents open at some time between {AnswerWriter.Time(since)} and {AnswerWriter.Time(byWords.Until)}, active and resolved, best match first{meaningNote}; {AnswerWriter.EngineNote}._");
            var words = SearchWords.Words(byWords.Query);
            IncidentHits.Write(writer, ranked, byMeaning ? "No incident matches those words or their meaning."
                : words.Count == 0 ? "Those words give nothing to search for." : "No incident matches those words.");
        }

        return byWords with { Text = writer.Finish(), Citations = writer.Citations, Hits = ranked };
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

        return new RelatedAnswer
        {
            Text = "",
            Citations = [],
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
        return new RelatedAnswer
        {
            Text = "",
            Citations = [],
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
