using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// Related incidents ranked as without a chat model (<see cref="DeterministicRelated.RankAsync"/>: words, shared services
/// and meaning); the model then says in a few sentences what the hits have in common.
/// </summary>
public sealed class ModelRelated : IRelatedStep
{
    private const int OverviewTokens = 300;

    private readonly DeterministicRelated lexical;
    private readonly ModelWriter model;

    public ModelRelated(DeterministicRelated lexical, ModelWriter model)
    {
        this.lexical = lexical;
        this.model = model;
    }

    public string Engine => AssistantEngines.Model;

    public Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken = default) =>
        model.RunAsync(async token =>
        {
            var (byWords, ranked) = await lexical.RankAsync(request, subject, token);
            var hits = byWords.Hits;
            var about = subject is null ? $"“{EntryClassifier.Excerpt(request.Query ?? "", 100)}”" : $"{subject.Reference} · {subject.Title}";
            var writer = new AnswerWriter();
            writer.Line($"**Incidents related to {about}**");
            writer.Line($"_{RankingNote(byWords, subject, ranked)}; {model.Note}._");
            if (hits.Count > 0)
            {
                var overview = await model.WriteAsync(ModelPrompts.RelatedOverview(subject?.Reference ?? about, HitLines(hits)), OverviewTokens, token);
                var verdicts = await model.CheckAsync(overview, token);
                writer.Line();
                ModelWriter.WriteChecked(writer, verdicts, ModelWriter.Lines(overview));
                IncidentHits.Write(writer, hits, "");
                ModelWriter.WriteFlagged(writer, verdicts, overview);
            }
            else
            {
                writer.Line().Line(subject is null ? "No incident matches those words." : "No other incident was open in that time.");
            }

            return byWords with { Text = writer.Finish(), Citations = writer.Citations, Hits = hits, Engine = Engine };
        }, cancellationToken);

    private string RankingNote(RelatedAnswer byWords, Incident? subject, SemanticRanking? ranked)
    {
        var frame = byWords.Since is { } since
            ? $"open at some time between {AnswerWriter.Time(since)} and {AnswerWriter.Time(byWords.Until)}"
            : $"up to {AnswerWriter.Time(byWords.Until)}";
        var by = subject is null ? "matching words" : "shared services and words";
        var embeddingModel = lexical.EmbeddingModel;
        var meaning = ranked is null
            ? embeddingModel is null ? "" : " (similarity in meaning could not be computed this time)"
            : $", and similarity in meaning ({embeddingModel}, {ranked.Compared} incidents compared)";
        return $"Incidents {frame}, most similar first by {by}{meaning}";
    }

    private static string HitLines(IReadOnlyList<RelatedIncident> hits) =>
        string.Join("\n", hits.Select(hit =>
            $"{ModelData.Cite(hit.Incident.Number)} {hit.Incident.Severity.ToLabel()} · {hit.Incident.Status.ToLabel()} · "
            + $"{ModelData.Clean(hit.Incident.Title, 160)} · declared {AnswerWriter.Time(hit.Incident.DeclaredAt)} · matched because: "
            + string.Join("; ", hit.Reasons.Select(r => ModelData.Clean(r.Text, 200)))));
}
