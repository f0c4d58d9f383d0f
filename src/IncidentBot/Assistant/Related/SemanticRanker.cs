using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.Extensions.AI;

namespace IncidentBot.Assistant.Related;

/// <summary>The hits re-ranked with similarity in meaning; <see cref="Compared"/> incidents had a vector to compare.</summary>
internal sealed record SemanticRanking(IReadOnlyList<RelatedIncident> Hits, int Compared);

/// <summary>
/// Adds similarity in meaning to the ranking by words and services: each incident's text
/// (<see cref="IncidentEmbeddingText"/>) is embedded once per text and model and kept (schema step 5). When
/// <see cref="BackgroundIncidentEmbedder"/> keeps the vectors up to date, the stored ones are used as they are;
/// otherwise each is checked against the incident's text now. Missing ones are made here, at most
/// <see cref="MaxNewPerRequest"/> per request. An incident found by meaning alone says so as its reason.
/// </summary>
/// <remarks>
/// The fusion is a weighted sum in which meaning leads: cosine (counted from <see cref="MinSimilarity"/>) plus
/// <see cref="LexicalWeight"/> × s / (s + <see cref="LexicalSaturation"/>), s being the score by words (BM25) and shared
/// services. BM25 has no upper bound (0–25 on the outage set) while cosine is at most 1, so a plain sum let one shared
/// common word ("packets", "login") outrank the incident that tells the same story in other words; squashing it
/// keeps words as what breaks near-ties in meaning, and lets an exact match (an error code, a service) lift an
/// incident a little. Reciprocal rank fusion was measured too (docs/related-search.md) and came out below this: it
/// counts the ranks by words as much as the ranks by meaning, and on searches phrased in other words than the
/// write-up the ranks by words are mostly noise. The weights were chosen on the searches of the outage set marked
/// for tuning and checked on those held out.
/// </remarks>
internal sealed class SemanticRanker(
    IEmbeddingGenerator<string, Embedding<float>> generator, string model, bool storedAreKept,
    IIncidentEmbeddingStore store, IIncidentReader reader, IncidentPlugin plugin, TimeProvider time, ILogger logger)
{
    public const int MaxCandidates = 200;
    public const int MaxNewPerRequest = 64;

    /// <summary>
    /// Below this, texts share little meaning (all-MiniLM-L6-v2 gives unrelated incident texts 0–0.2, paraphrases
    /// 0.3–0.7); such an incident is neither listed nor lifted for its meaning.
    /// </summary>
    public const double MinSimilarity = 0.25;

    /// <summary>The most the score by words and services adds to the similarity in meaning.</summary>
    public const double LexicalWeight = 0.2;

    /// <summary>The score by words and services that adds half of <see cref="LexicalWeight"/>: a good match, about twice the median BM25 of a match on the outage set.</summary>
    public const double LexicalSaturation = 10;

    public string Model => model;

    /// <returns>Null when the embedding model failed; the ranking by words stands then.</returns>
    public async Task<SemanticRanking?> RankAsync(RelatedRequest request, Incident? subject, RelatedAnswer lexical, CancellationToken cancellationToken)
    {
        try
        {
            var candidates = await plugin.FindAsync(new IncidentFilter
            {
                ActiveFrom = lexical.Since,
                ActiveUntil = lexical.Until,
                ExcludeNumber = request.Number,
                Limit = MaxCandidates,
            }, cancellationToken);
            var (subjectVector, vectors) = await VectorsAsync(request.Query ?? "", subject, candidates, cancellationToken);
            var similarity = vectors.ToDictionary(v => v.Key, v => Cosine(subjectVector.Span, v.Value.Span));
            return new SemanticRanking(Combine(lexical.Hits, candidates, similarity, subject is null ? "the words" : subject.Reference), vectors.Count);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not (IncidentNotFoundException or IncidentValidationException))
        {
            logger.LogDebug(e, "No similarity in meaning this time");
            return null;
        }
    }

    private IReadOnlyList<RelatedIncident> Combine(
        IReadOnlyList<RelatedIncident> lexical, IReadOnlyList<Incident> candidates, Dictionary<long, double> similarity, string subject)
    {
        var hits = lexical.ToDictionary(h => h.Incident.Number);
        foreach (var candidate in candidates.Where(c => !hits.ContainsKey(c.Number) && similarity.GetValueOrDefault(c.Number) >= MinSimilarity))
        {
            hits[candidate.Number] = new RelatedIncident(IncidentBrief.Of(candidate), 0, []);
        }

        return hits.Values
            .Select(hit =>
            {
                var byWords = LexicalWeight * hit.Score / (hit.Score + LexicalSaturation);
                return similarity.TryGetValue(hit.Incident.Number, out var s) && s >= MinSimilarity
                    ? hit with
                    {
                        Score = Math.Round(s + byWords, 3),
                        Reasons = hit.Score > 0 ? [.. hit.Reasons, Reason(hit.Incident.Number, subject, s)] : [Reason(hit.Incident.Number, subject, s)],
                    }
                    : hit with { Score = Math.Round(byWords, 3) };
            })
            .OrderByDescending(hit => hit.Score)
            .ThenByDescending(hit => hit.Incident.DeclaredAt)
            .Take(IncidentHits.Max)
            .ToList();
    }

    private CitedLine Reason(long number, string subject, double similarity) =>
        new($"similar in meaning to {subject} (cosine {similarity:0.00} by {model})", [new Citation(number)]);

    /// <summary>The subject's vector and the candidates' (stored, else made now, bounded).</summary>
    private async Task<(ReadOnlyMemory<float> Subject, Dictionary<long, ReadOnlyMemory<float>> Candidates)> VectorsAsync(
        string query, Incident? subject, IReadOnlyList<Incident> candidates, CancellationToken cancellationToken)
    {
        var incidents = subject is null ? candidates : [subject, .. candidates];
        var stored = await store.GetAsync(model, incidents.Select(i => i.Number).ToList(), cancellationToken);
        var vectors = new Dictionary<long, ReadOnlyMemory<float>>();
        var missing = new List<(Incident Incident, string Text)>();
        foreach (var incident in incidents)
        {
            var text = storedAreKept && stored.ContainsKey(incident.Number) ? null : await IncidentEmbeddingText.ReadAsync(reader, incident, cancellationToken);
            if (stored.TryGetValue(incident.Number, out var embedding) && (text is null || embedding.TextHash == IncidentEmbeddingText.Hash(text)))
            {
                vectors[incident.Number] = embedding.Vector;
            }
            else if (missing.Count < MaxNewPerRequest)
            {
                missing.Add((incident, text!));
            }
        }

        var inputs = (subject is null ? [query] : Array.Empty<string>()).Concat(missing.Select(m => m.Text)).ToList();
        var made = inputs.Count == 0 ? [] : (await generator.GenerateAsync(inputs, cancellationToken: cancellationToken)).ToList();
        var offset = subject is null ? 1 : 0;
        var fresh = missing.Select((m, i) => new IncidentEmbedding(m.Incident.Number, IncidentEmbeddingText.Hash(m.Text), made[i + offset].Vector)).ToList();
        await store.SaveAsync(model, fresh, time.GetUtcNow(), cancellationToken);
        foreach (var embedding in fresh)
        {
            vectors[embedding.IncidentNumber] = embedding.Vector;
        }

        var subjectVector = subject is null ? made[0].Vector : vectors.GetValueOrDefault(subject.Number);
        vectors.Remove(subject?.Number ?? 0);
        return (subjectVector, vectors);
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length == 0 || a.Length != b.Length)
        {
            return 0;
        }

        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }

        return normA == 0 || normB == 0 ? 0 : dot / (Math.Sqrt(normA) * Math.Sqrt(normB));
    }
}
