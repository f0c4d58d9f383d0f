using IncidentBot.Assistant.Model;
using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Catchup;

/// <summary>
/// The catch-up written by the model from only the window's timeline entries (condensed when long), its citations checked.
/// The person's own entries are not given to the model at all (the message that brought them back among them): asking
/// it to leave them out is not enough.
/// </summary>
public sealed class ModelCatchup(ModelWriter model, TimeProvider time) : ICatchupStep
{
    private const int CatchupTokens = 700;

    private static readonly string[] Headings =
    [
        DeterministicCatchup.StateHeading, DeterministicCatchup.FindingsHeading, DeterministicCatchup.ActionsHeading,
        DeterministicCatchup.DecisionsHeading, DeterministicCatchup.QuestionsHeading,
    ];

    public string Engine => AssistantEngines.Model;

    public Task<CatchupAnswer> CatchUpAsync(Incident incident, CatchupWindow window, CancellationToken cancellationToken = default) =>
        model.RunAsync(async token =>
        {
            var timeline = await model.Condenser.ReadAsync(incident, token, window.After, window.UserId);
            var request = ModelPrompts.Catchup(incident, window.Phrase, window.UserId, timeline.Text, timeline.Condensed, Headings);
            var text = await model.WriteAsync(request, CatchupTokens, token);
            var verdicts = await model.CheckAsync(text, token);
            var sections = ModelSections.Split(text, Headings);
            var writer = new AnswerWriter();
            writer.Line($"**{incident.Reference} since {window.Phrase} · {incident.Title}**");
            writer.Line($"_{AnswerWriter.Capitalized(model.Note)}; read {timeline.Phrase} after {AnswerWriter.Time(window.From)}; times in UTC._");
            var lines = Headings.ToDictionary(h => h, h => ModelWriter.WriteSection(writer, verdicts, h, sections.GetValueOrDefault(h), whenEmpty: null));
            var answer = CatchupAnswer.Of(incident, window, timeline.EntriesRead, Engine) with
            {
                StateChanges = lines[DeterministicCatchup.StateHeading],
                Findings = lines[DeterministicCatchup.FindingsHeading],
                Actions = lines[DeterministicCatchup.ActionsHeading],
                Decisions = lines[DeterministicCatchup.DecisionsHeading],
                OpenQuestions = lines[DeterministicCatchup.QuestionsHeading],
            };
            if (answer.NothingNew)
            {
                writer.Line().Line(DeterministicCatchup.NothingNew(window));
            }

            DeterministicSummary.WriteState(writer, incident, DeterministicSummary.Duration(incident, time.GetUtcNow()));
            ModelWriter.WriteFlagged(writer, verdicts, text);
            return answer with { Text = writer.Finish(), Citations = writer.Citations };
        }, cancellationToken);
}
