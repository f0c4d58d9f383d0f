using IncidentBot.Assistant.Questions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>
/// An incident named by words of its title ("the login incident"), by its service, or as the latest one: found among the incidents,
/// never picked silently. Several matches get a reply listing them to choose from; none, a reply saying so.
/// </summary>
internal static class IncidentNames
{
    private const int MaxChoices = 10;

    public static async Task<(AssistantQuestion Question, QuestionAnswer? Reply)> ResolveAsync(
        IIncidentReader reader, AssistantQuestion question, CancellationToken cancellationToken)
    {
        if (question.Reference is not null || (question.TitleWords.Count == 0 && !question.Latest))
        {
            return (question, null);
        }

        if (question.Latest)
        {
            var latest = await reader.FindAsync(new IncidentFilter { Limit = 1 }, cancellationToken);
            return latest is [var newest] ? (question with { Reference = newest.Number }, null) : (question, QuestionHelp.Plain(question, "There is no incident yet."));
        }

        var incidents = await reader.FindAsync(new IncidentFilter { Limit = IncidentFilter.MaxLimit }, cancellationToken);
        var parts = question.TitleWords.SelectMany(SearchTerms.SplitWords).Distinct().ToList();
        var matching = incidents.Where(i => SearchWords.FoundIn(i.Title, parts).Count == parts.Count).ToList();
        if (matching.Count == 0)
        {
            // "the orders-db incident" may name it by its service rather than its title.
            matching = [.. incidents.Where(i => question.TitleWords.All(w => i.Services.Contains(w)))];
        }

        var words = IncidentHits.Quote(question.TitleWords);
        return matching switch
        {
            [var only] => (question with { Reference = only.Number }, null),
            [] => (question, QuestionHelp.Plain(question, $"No incident's title mentions {(question.TitleWords.Count > 1 ? "all of " : "")}{words}. Name the incident by its reference (e.g. INC-42).")),
            _ => (question, Choices(question, matching, words)),
        };
    }

    private static QuestionAnswer Choices(AssistantQuestion question, IReadOnlyList<Incident> matching, string words)
    {
        var writer = new AnswerWriter();
        writer.Line($"{matching.Count} incidents match {words}; which one do you mean? Ask again with its reference (e.g. {matching[0].Reference}):");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        writer.Line();
        foreach (var incident in matching.Take(MaxChoices))
        {
            var brief = IncidentBrief.Of(incident);
            writer.Bullet($"{AnswerWriter.Describe(brief)} — {IncidentHits.When(brief)}", new Citation(incident.Number));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. matching.Take(MaxChoices).Select(IncidentBrief.Of)],
            Understood = false,
        };
    }
}
