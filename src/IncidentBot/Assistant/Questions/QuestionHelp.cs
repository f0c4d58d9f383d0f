namespace IncidentBot.Assistant.Questions;

/// <summary>What the deterministic engine says when it cannot answer: what it did not understand, and what it can answer.</summary>
internal static class QuestionHelp
{
    public const string NotUnderstoodOpening = "I did not understand";

    /// <summary>The questions the deterministic engine answers, one kind a line, each with an example.</summary>
    public static readonly IReadOnlyList<string> WhatWorks =
    [
        "Counts and lists by status, severity, service and time frame: “how many sev1s this month?”, “show open incidents affecting payments-api”, “incidents since Monday”, “sev2 or higher in the last 3 days”, “between November 1 and November 10”.",
        "People and trends: “incidents commanded by @alice”, “how many incidents did @bob declare this month?”, “what did @bob do in INC-3?”, “are incidents going up?”, “incidents per week this month”, “which service has the most incidents?”.",
        "One incident, named INC-3, #3, incident 3, by words of its title (“the login incident”) or asked in its channel: its status, severity, commander, services, impact, how long it lasted, root cause, remediation.",
        "What changed: “what changed in the last hour?”, “any updates on INC-3 since 08:00?”; in an incident's channel, since you last wrote there: “what did I miss?”.",
        "Figures: “what's the MTTR this month?”, “MTTR of sev1s in the last 30 days”, “what's the MTTD this month?”, “how long did it take to detect INC-3?”.",
        "Who did something, from the timelines: “who restarted the database?”, “who rolled back checkout-api in INC-3?”.",
        "A summary (“summarise INC-3”), related incidents (“incidents related to DDoS attacks from the past month”), a postmortem draft (“draft a postmortem” in a resolved incident's channel), and “customers cannot pay, is there an incident?”.",
    ];

    /// <summary>
    /// "I did not understand “moon”." with what was understood, and the list of what works: never an answer to a
    /// question read only in part.
    /// </summary>
    public static QuestionAnswer NotUnderstood(AssistantQuestion question, IReadOnlyList<string> words, string? understood, string? extra = null) =>
        NotUnderstood(question, words, understood, extra is null ? null : writer => writer.Line(extra));

    /// <param name="more">Writes what follows the opening (a search offered instead of an answer).</param>
    public static QuestionAnswer NotUnderstood(AssistantQuestion question, IReadOnlyList<string> words, string? understood, Action<AnswerWriter>? more)
    {
        var writer = new AnswerWriter();
        var what = words.Count > 0 ? IncidentHits.Quote(words)
            : question.Text.Length > 0 ? $"“{EntryClassifier.Excerpt(question.Text, 120)}”"
            : "an empty question";
        writer.Line($"{NotUnderstoodOpening} {what}{(question.Text.Length > 0 ? " in your question" : "")}, so I am not answering it rather than guess.");
        if (understood is not null)
        {
            writer.Line($"I understood: {understood}.");
        }

        if (more is not null)
        {
            writer.Line();
            more(writer);
        }

        writer.Line().Line("What I can answer without a model:");
        foreach (var line in WhatWorks)
        {
            writer.Bullet(line);
        }

        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = [], Understood = false };
    }

    /// <summary>A question read only in part (<see cref="AssistantQuestion.TooLongAt"/>): not answered, since an answer to its first part would be a guess.</summary>
    public static QuestionAnswer TooLong(AssistantQuestion question, int length) =>
        Plain(question, $"That question is {length:N0} characters long; I read questions of up to {QuestionParser.MaxLength:N0}. Ask it in fewer words.");

    public static QuestionAnswer NeedIncident(AssistantQuestion question) =>
        Plain(question, "Which incident? Name it (e.g. INC-42, incident-42, #42, or words of its title: “the login incident”) or ask in the incident's channel.");

    public static QuestionAnswer Plain(AssistantQuestion question, string text) =>
        new() { Kind = question.KindName, Text = text + $"\n_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._\n", Citations = [] };

    /// <summary>What the parser understood of a question, in words, to say back when part of it was not.</summary>
    public static string Understood(AssistantQuestion question)
    {
        var about = question.Kind switch
        {
            QuestionKind.Count => "a count of incidents",
            QuestionKind.List => "a list of incidents",
            QuestionKind.Mttr => "the mean time to resolve",
            QuestionKind.Mttd => "the mean time to detect",
            QuestionKind.Changes => "what changed",
            QuestionKind.Catchup => "what you missed",
            QuestionKind.WhoDid => "who did something",
            QuestionKind.Trend => $"incidents per {question.Per ?? "week"}",
            QuestionKind.Breakdown => $"incidents counted by {question.Per ?? "service"}",
            QuestionKind.PersonActivity => "what someone did",
            QuestionKind.RootCause => "the root cause",
            QuestionKind.Search or QuestionKind.List or QuestionKind.Count when question.Reference is not null => "a question about one incident",
            QuestionKind.Search => "nothing I can answer",
            var kind => $"the {kind.ToString().ToLowerInvariant()} of an incident",
        };
        var parts = new List<string> { about };
        if (question.Reference is { } number)
        {
            parts.Add($"of {Incidents.IncidentReference.Format(number)}");
        }

        if (question.Severities.Count > 0)
        {
            parts.Add(string.Join(" or ", question.Severities.Select(s => Incidents.SeverityText.ToLabel(s))));
        }

        if (question.Statuses.Count > 0)
        {
            parts.Add(string.Join(" or ", question.Statuses.Select(s => Incidents.IncidentStatusText.ToLabel(s))));
        }

        if (question.Window is { } frame)
        {
            parts.Add(frame);
        }

        if (question.Person is { } person)
        {
            parts.Add($"of a person ({string.Join(" ", person.Words)})");
        }

        return string.Join(", ", parts);
    }
}
