using IncidentBot.Incidents;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace IncidentBot.Assistant.Model;

public sealed partial class ModelEngine
{
    private const int MaxIncidentsNamed = 25;

    public async Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, CancellationToken cancellationToken = default)
    {
        switch (question.Kind)
        {
            case QuestionKind.Summary when question.Incident is { } number:
                var summary = await SummarizeAsync(number, cancellationToken);
                return new QuestionAnswer { Kind = question.KindName, Text = summary.Text, Citations = summary.Citations, Engine = Name, Incidents = [summary.Incident] };
            case QuestionKind.Related when question.Query is not null || question.Incident is not null:
                var related = await FindRelatedAsync(new RelatedRequest(question.Incident, question.Query, question.Since, question.Until), cancellationToken);
                return new QuestionAnswer
                {
                    Kind = question.KindName, Text = related.Text, Citations = related.Citations, Engine = Name, Incidents = [.. related.Hits.Select(h => h.Incident)],
                };
            case QuestionKind.Summary or QuestionKind.Related or QuestionKind.Postmortem:
                // "Which incident?" and where postmortems are drafted: fixed replies, no model needed.
                return await deterministic.AnswerAsync(question, cancellationToken);
            default:
                return await RunAsync(token => AnswerWithToolsAsync(question, token), cancellationToken);
        }
    }

    /// <summary>The model looks up what it needs through the read-only functions, then answers.</summary>
    private async Task<QuestionAnswer> AnswerWithToolsAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Reference is { } named)
        {
            await plugin.GetIncidentAsync(IncidentReference.Format(named), cancellationToken);
        }

        var current = question.CurrentIncident is { } here ? await incidents.GetAsync(here, cancellationToken) : null;
        var text = NotEmpty(await AnswerWithFunctionsAsync(ModelPrompts.Conversation(time.GetUtcNow(), ModelPrompts.Question(question, current)), cancellationToken));
        var verdicts = await checker.CheckAsync(text, cancellationToken);
        var writer = new AnswerWriter();
        WriteChecked(writer, verdicts, text.Replace("\r", "", StringComparison.Ordinal).Split('\n'));
        writer.Line().Line($"_{Capitalized(ModelNote)}._");
        WriteFlagged(writer, verdicts, text);
        if (writer.Citations.Count == 0)
        {
            writer.Line("_The model cited no source for this answer: check it against the incidents before relying on it._");
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Engine = Name,
            Incidents = await BriefsAsync(writer.Citations, cancellationToken),
        };
    }

    /// <summary>
    /// Semantic Kernel runs the functions the model asks for (automatic function calling), bounded by a
    /// <see cref="FunctionRoundFilter"/> of this answer's own. When the filter ends the calling, the model is asked
    /// once more with no functions offered, so it has to answer from what it has read.
    /// </summary>
    private async Task<string> AnswerWithFunctionsAsync(ChatHistory conversation, CancellationToken cancellationToken)
    {
        var answering = kernel.Clone();
        answering.AutoFunctionInvocationFilters.Add(new FunctionRoundFilter(functionLimits));
        var reply = await clients.Chat.GetChatMessageContentAsync(
            conversation, ModelClients.Settings(AnswerTokens, FunctionChoiceBehavior.Auto()), answering, cancellationToken);
        if (reply.Role != AuthorRole.Tool)
        {
            return reply.Content?.Trim() ?? "";
        }

        FunctionRoundFilter.AnswerOpenCalls(conversation);
        return await clients.WriteAsync(conversation, AnswerTokens, cancellationToken);
    }

    /// <summary>The incidents the answer cites, in the order it first cites them.</summary>
    private async Task<IReadOnlyList<IncidentBrief>> BriefsAsync(IEnumerable<Citation> citations, CancellationToken cancellationToken)
    {
        var briefs = new List<IncidentBrief>();
        foreach (var number in citations.Select(c => c.IncidentNumber).Distinct().Take(MaxIncidentsNamed))
        {
            if (await incidents.GetAsync(number, cancellationToken) is { } incident)
            {
                briefs.Add(IncidentBrief.Of(incident));
            }
        }

        return briefs;
    }
}
