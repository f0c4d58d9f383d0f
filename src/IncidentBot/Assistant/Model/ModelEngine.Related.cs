using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Model;

public sealed partial class ModelEngine
{
    private const int OverviewTokens = 300;

    /// <summary>
    /// Ranked by words (BM25) and shared services as without a model, and by meaning when an embedding model is
    /// configured; the model then says in a few sentences what the hits have in common.
    /// </summary>
    public Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            var lexical = await deterministic.FindRelatedAsync(request, token);
            var subject = request.Number is { } number && string.IsNullOrWhiteSpace(request.Query)
                ? await plugin.GetIncidentAsync(IncidentReference.Format(number), token)
                : null;
            var ranked = ranker is null ? null : await ranker.RankAsync(request, subject, lexical, token);
            var hits = ranked?.Hits ?? lexical.Hits;
            var about = subject is null ? $"“{EntryClassifier.Excerpt(request.Query ?? "", 100)}”" : $"{subject.Reference} · {subject.Title}";
            var writer = new AnswerWriter();
            writer.Line($"**Incidents related to {about}**");
            writer.Line($"_{RankingNote(lexical, subject, ranked)}; {ModelNote}._");
            if (hits.Count > 0)
            {
                var overview = await WriteAsync(ModelPrompts.RelatedOverview(subject?.Reference ?? about, HitLines(hits)), OverviewTokens, token);
                var verdicts = await checker.CheckAsync(overview, token);
                writer.Line();
                WriteChecked(writer, verdicts, overview.Replace("\r", "", StringComparison.Ordinal).Split('\n'));
                DeterministicEngine.WriteHits(writer, hits, "");
                WriteFlagged(writer, verdicts, overview);
            }
            else
            {
                writer.Line().Line(subject is null ? "No incident matches those words." : "No other incident was open in that time.");
            }

            return lexical with { Text = writer.Finish(), Citations = writer.Citations, Hits = hits, Engine = Name };
        }, cancellationToken);

    private string RankingNote(RelatedAnswer lexical, Incident? subject, SemanticRanking? ranked)
    {
        var frame = lexical.Since is { } since
            ? $"open at some time between {AnswerWriter.Time(since)} and {AnswerWriter.Time(lexical.Until)}"
            : $"up to {AnswerWriter.Time(lexical.Until)}";
        var by = subject is null ? "matching words" : "shared services and words";
        var meaning = ranked is null
            ? clients.EmbeddingModel is null ? "" : " (similarity in meaning could not be computed this time)"
            : $", and similarity in meaning ({clients.EmbeddingModel}, {ranked.Compared} incidents compared)";
        return $"Incidents {frame}, most similar first by {by}{meaning}";
    }

    private static string HitLines(IReadOnlyList<RelatedIncident> hits) =>
        string.Join("\n", hits.Select(hit =>
            $"{ModelData.Cite(hit.Incident.Number)} {hit.Incident.Severity.ToLabel()} · {hit.Incident.Status.ToLabel()} · "
            + $"{ModelData.Clean(hit.Incident.Title, 160)} · declared {AnswerWriter.Time(hit.Incident.DeclaredAt)} · matched because: "
            + string.Join("; ", hit.Reasons.Select(r => ModelData.Clean(r.Text, 200)))));
}
