using System.Globalization;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Model;

public sealed partial class ModelEngine
{
    private const int PostmortemTokens = 1_800;

    private static readonly string[] PostmortemHeadings = ["Summary", "Impact", "Timeline", "Root cause", "Resolution", "Action items", "Lessons learned"];

    private static readonly Dictionary<string, string> TemplateVariables = new(StringComparer.Ordinal)
    {
        ["Summary"] = "summary", ["Impact"] = "impact", ["Timeline"] = "timeline", ["Root cause"] = "root_cause",
        ["Resolution"] = "resolution", ["Action items"] = "action_items", ["Lessons learned"] = "lessons_learned",
    };

    /// <summary>The model writes the sections; the operator's template, the incident's facts and the checked sources are ours.</summary>
    public Task<PostmortemAnswer> WritePostmortemAsync(Incident incident, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            var timeline = await condenser.ReadAsync(incident, token);
            var text = await WriteAsync(ModelPrompts.Postmortem(incident, timeline.Text, timeline.Condensed, PostmortemHeadings), PostmortemTokens, token);
            var verdicts = await checker.CheckAsync(text, token);
            var sections = ModelSections.Split(text, PostmortemHeadings);
            var writer = new AnswerWriter();
            var values = Facts(incident, timeline, await search.CountMessagesAsync(incident.Number, token));
            foreach (var (heading, variable) in TemplateVariables)
            {
                var lines = sections.GetValueOrDefault(heading);
                values[variable] = lines is null || lines.Count == 0
                    ? "_For the team to fill in._"
                    : string.Join("\n", lines.Select(line => verdicts.Mark(writer, line)));
            }

            var flagged = verdicts.CountFlagged(text);
            values["sources"] = string.Join("\n", writer.Citations.Select((c, i) => $"{i + 1}. {c}"))
                + (flagged == 0 ? "" : $"\n\n_{flagged} source(s) the model cited do not exist and were removed (where it says “source not found”)._");
            return new PostmortemAnswer
            {
                Number = incident.Number,
                Text = PostmortemTemplate.Render(await templates.GetAsync(token), values).TrimEnd() + "\n",
                Citations = writer.Citations,
                Engine = Name,
            };
        }, cancellationToken);

    private Dictionary<string, string> Facts(Incident incident, ReadTimeline timeline, int messages)
    {
        var now = AnswerWriter.Time(time.GetUtcNow());
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["draft_notice"] = $"> **DRAFT for humans to revise.** Written by the model ({clients.Model}) from the record of {incident.Reference} and "
                + $"{ReadPhrase(timeline)} on {now}. Check each statement against its source [n] before sharing.",
            ["reference"] = incident.Reference,
            ["title"] = incident.Title,
            ["severity"] = $"{incident.Severity.ToLabel()} ({incident.Severity.Describe()})",
            ["status"] = incident.Status.ToLabel(),
            ["commander"] = AnswerWriter.Person(incident.CommanderId),
            ["services"] = incident.Services.Count == 0 ? "none recorded" : string.Join(", ", incident.Services),
            ["declared_at"] = AnswerWriter.Time(incident.DeclaredAt),
            ["stable_at"] = incident.StableAt is { } stable ? AnswerWriter.Time(stable) : "never marked stable",
            ["resolved_at"] = incident.ResolvedAt is { } resolved ? AnswerWriter.Time(resolved) : "not resolved",
            ["time_to_resolve"] = incident.TimeToResolve is { } ttr ? AnswerWriter.Duration(ttr) : "not resolved",
            ["message_count"] = messages.ToString(CultureInfo.InvariantCulture),
            ["engine"] = $"model {clients.Model}",
            ["generated_at"] = now,
        };
    }
}
