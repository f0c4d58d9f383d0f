using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Questions answered by the model, which looks up what it needs through the read-only functions; its citations are
/// checked, and so is a figure it states that the store computes (a count, an MTTR, a duration): when the model's
/// differs from the deterministic core's, the model's answer is not given and the core's comes instead, marked so.
/// </summary>
public sealed class ModelQuestions(ModelWriter model, IIncidentReader incidents, DeterministicQuestions core) : IQuestionStep
{
    private const int MaxIncidentsNamed = 25;

    public string Engine => AssistantEngines.Model;

    public Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken = default) =>
        model.RunAsync(token => AnswerWithFunctionsAsync(question, incident, token), cancellationToken);

    private async Task<QuestionAnswer> AnswerWithFunctionsAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken)
    {
        if (question.Reference is { } named && incident is null)
        {
            throw new IncidentNotFoundException(named);
        }

        var current = question.CurrentIncident is not { } here ? null
            : here == incident?.Number ? incident
            : await incidents.GetAsync(here, cancellationToken);
        var text = await model.AnswerWithFunctionsAsync(ModelPrompts.Question(question, current), cancellationToken);
        await CheckFigureAsync(question, incident, text, cancellationToken);
        var verdicts = await model.CheckAsync(text, cancellationToken);
        var writer = new AnswerWriter();
        ModelWriter.WriteChecked(writer, verdicts, ModelWriter.Lines(text));
        writer.Line().Line($"_{AnswerWriter.Capitalized(model.Note)}._");
        ModelWriter.WriteFlagged(writer, verdicts, text);
        if (writer.Citations.Count == 0)
        {
            writer.Line("_The model cited no source for this answer: check it against the incidents before relying on it._");
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Engine = Engine,
            Incidents = await BriefsAsync(writer.Citations, cancellationToken),
        };
    }

    /// <summary>
    /// A question whose figure the store computes (counts, lists, MTTR, MTTD, how long) is answered by the core too; a figure
    /// the model states otherwise makes this step fail, so <see cref="FeatureSteps{TStep}"/> gives the core's answer.
    /// </summary>
    private async Task CheckFigureAsync(AssistantQuestion question, Incident? incident, string text, CancellationToken cancellationToken)
    {
        if (question.Kind is not (QuestionKind.Count or QuestionKind.List or QuestionKind.Mttr or QuestionKind.Mttd or QuestionKind.Duration))
        {
            return;
        }

        var store = await core.AnswerAsync(question, incident, cancellationToken);
        if (store.Understood && FigureCheck.Mismatch(text, store) is { } mismatch)
        {
            throw new ModelUnavailableException(mismatch);
        }
    }

    /// <summary>The incidents the answer cites, in the order it first cites them, read in one query.</summary>
    private async Task<IReadOnlyList<IncidentBrief>> BriefsAsync(IEnumerable<Citation> citations, CancellationToken cancellationToken)
    {
        var numbers = citations.Select(c => c.IncidentNumber).Distinct().Take(MaxIncidentsNamed).ToList();
        if (numbers.Count == 0)
        {
            return [];
        }

        var found = (await incidents.FindAsync(new IncidentFilter { Numbers = numbers, Limit = numbers.Count }, cancellationToken)).ToDictionary(i => i.Number);
        return [.. numbers.Where(found.ContainsKey).Select(n => IncidentBrief.Of(found[n]))];
    }
}
