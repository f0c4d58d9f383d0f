using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Summary;

/// <summary>The summary written by the model from the incident and its timeline (condensed when long), its citations checked.</summary>
public sealed class ModelSummary(ModelWriter model, TimeProvider time) : ISummaryStep
{
    private const int SummaryTokens = 900;

    private static readonly string[] SummaryHeadings = ["Overview", "Impact", "What has been done", "Being tried now", "Open questions"];

    public string Engine => AssistantEngines.Model;

    public Task<SummaryAnswer> SummarizeAsync(Incident incident, CancellationToken cancellationToken = default) =>
        model.RunAsync(async token =>
        {
            var timeline = await model.Condenser.ReadAsync(incident, token);
            var text = await model.WriteAsync(ModelPrompts.Summary(incident, timeline.Text, timeline.Condensed), SummaryTokens, token);
            var verdicts = await model.CheckAsync(text, token);
            var sections = ModelSections.Split(text, SummaryHeadings);
            var writer = new AnswerWriter();
            var duration = DeterministicSummary.Duration(incident, time.GetUtcNow());
            writer.Line($"**Summary of {incident.Reference} · {incident.Title}**");
            writer.Line($"_{AnswerWriter.Capitalized(model.Note)}; read {timeline.Phrase}; times in UTC._");
            DeterministicSummary.WriteState(writer, incident, duration);
            ModelWriter.WriteChecked(writer, verdicts, sections[""]);
            var lines = SummaryHeadings.ToDictionary(h => h, h => ModelWriter.WriteSection(writer, verdicts, h, sections.GetValueOrDefault(h), "Nothing said."));
            ModelWriter.WriteFlagged(writer, verdicts, text);
            return new SummaryAnswer
            {
                Text = writer.Finish(),
                Citations = writer.Citations,
                Engine = Engine,
                Incident = IncidentBrief.Of(incident),
                Duration = duration,
                EntriesRead = timeline.EntriesRead,
                Parts = timeline.Parts,
                Impact = lines["Impact"],
                Done = lines["What has been done"],
                TryingNow = lines["Being tried now"],
                OpenQuestions = lines["Open questions"],
            };
        }, cancellationToken);
}
