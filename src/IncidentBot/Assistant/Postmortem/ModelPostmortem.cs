using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Postmortem;

/// <summary>The postmortem draft with the model writing the sections; the operator's template, the incident's facts and the checked sources are ours.</summary>
public sealed class ModelPostmortem(ModelWriter model, PostmortemTemplateSource templates, TimeProvider time) : IPostmortemStep
{
    private const int PostmortemTokens = 1_800;

    private static readonly string[] PostmortemHeadings = ["Summary", "Impact", "Timeline", "Root cause", "Resolution", "Action items", "Lessons learned"];

    private static readonly Dictionary<string, string> TemplateVariables = new(StringComparer.Ordinal)
    {
        ["Summary"] = "summary", ["Impact"] = "impact", ["Timeline"] = "timeline", ["Root cause"] = "root_cause",
        ["Resolution"] = "resolution", ["Action items"] = "action_items", ["Lessons learned"] = "lessons_learned",
    };

    public string Engine => AssistantEngines.Model;

    public Task<PostmortemAnswer> WriteAsync(Incident incident, int messages, CancellationToken cancellationToken = default) =>
        model.RunAsync(async token =>
        {
            var timeline = await model.Condenser.ReadAsync(incident, token);
            var text = await model.WriteAsync(ModelPrompts.Postmortem(incident, timeline.Text, timeline.Condensed, PostmortemHeadings), PostmortemTokens, token);
            var verdicts = await model.CheckAsync(text, token);
            var sections = ModelSections.Split(text, PostmortemHeadings);
            var writer = new AnswerWriter();
            var values = Facts(incident, timeline, messages);
            foreach (var (heading, variable) in TemplateVariables)
            {
                var lines = sections.GetValueOrDefault(heading);
                values[variable] = lines is null || lines.Count == 0
                    ? "_For the team to fill in._"
                    : string.Join("\n", lines.Select(line => verdicts.Mark(writer, line)));
            }

            // The follow-ups agreed during the incident are facts of the record, listed whatever the model wrote.
            if (PostmortemTemplate.FollowUpItems(incident, writer) is { Count: > 0 } followUps)
            {
                values["action_items"] = string.Join("\n", values["action_items"] == "_For the team to fill in._" ? followUps : [.. followUps, values["action_items"]]);
            }

            var flagged = verdicts.CountFlagged(text);
            values["sources"] = string.Join("\n", writer.Citations.Select((c, i) => $"{i + 1}. {c}"))
                + (flagged == 0 ? "" : $"\n\n_{flagged} source(s) the model cited do not exist and were removed (where it says “source not found”)._");
            return new PostmortemAnswer
            {
                Number = incident.Number,
                Text = PostmortemTemplate.Render(await templates.GetAsync(token), values).TrimEnd() + "\n",
                Citations = writer.Citations,
                Engine = Engine,
            };
        }, cancellationToken);

    private Dictionary<string, string> Facts(Incident incident, ReadTimeline timeline, int messages)
    {
        var now = time.GetUtcNow();
        return PostmortemTemplate.RecordValues(
            incident,
            $"> **DRAFT for humans to revise.** Written by the model ({model.Clients.Model}) from the record of {incident.Reference} and "
                + $"{timeline.Phrase} on {AnswerWriter.Time(now)}. Check each statement against its source [n] before sharing.",
            $"model {model.Clients.Model}",
            messages,
            now);
    }
}
