using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Model;

public sealed partial class ModelEngine
{
    private const int SummaryTokens = 900;

    private static readonly string[] SummaryHeadings = ["Overview", "Impact", "What has been done", "Being tried now", "Open questions"];

    public Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            var incident = await plugin.GetIncidentAsync(IncidentReference.Format(number), token);
            var timeline = await condenser.ReadAsync(incident, token);
            var text = await WriteAsync(ModelPrompts.Summary(incident, timeline.Text, timeline.Condensed), SummaryTokens, token);
            var verdicts = await checker.CheckAsync(text, token);
            var sections = ModelSections.Split(text, SummaryHeadings);
            var writer = new AnswerWriter();
            var duration = Duration(incident);
            writer.Line($"**Summary of {incident.Reference} · {incident.Title}**");
            writer.Line($"_{Capitalized(ModelNote)}; read {ReadPhrase(timeline)}; times in UTC._");
            writer.Heading("Current state");
            writer.Bullet(
                $"Status **{incident.Status.ToLabel()}** · {incident.Severity.ToLabel()} ({incident.Severity.Describe()}) · commander "
                + $"{AnswerWriter.Person(incident.CommanderId)} · {DeterministicEngine.DurationPhrase(incident, duration)}",
                new Citation(incident.Number));
            WriteChecked(writer, verdicts, sections[""]);
            var lines = SummaryHeadings.ToDictionary(h => h, h => WriteSection(writer, verdicts, h, sections.GetValueOrDefault(h)));
            WriteFlagged(writer, verdicts, text);
            return new SummaryAnswer
            {
                Text = writer.Finish(),
                Citations = writer.Citations,
                Engine = Name,
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

    /// <summary>Writes one section under its heading; its bullets, with their checked sources, are returned.</summary>
    private static IReadOnlyList<CitedLine> WriteSection(AnswerWriter writer, CitationVerdicts verdicts, string heading, List<string>? lines)
    {
        writer.Heading(heading);
        if (lines is null || lines.Count == 0)
        {
            writer.Line("- Nothing said.");
            return [];
        }

        WriteChecked(writer, verdicts, lines);
        return lines
            .Select(ModelSections.BulletText)
            .OfType<string>()
            .Where(text => !ModelSections.SaysNothing(CitationVerdicts.Strip(text)))
            .Select(text => new CitedLine(CitationVerdicts.Strip(text), verdicts.Sources(text)))
            .ToList();
    }

    private TimeSpan Duration(Incident incident)
    {
        var end = incident.Status.IsOpen() ? time.GetUtcNow() : incident.ResolvedAt ?? incident.UpdatedAt;
        return end > incident.DeclaredAt ? end - incident.DeclaredAt : TimeSpan.Zero;
    }

    private static string ReadPhrase(ReadTimeline timeline)
    {
        var read = $"{timeline.EntriesRead} timeline entries in {DeterministicEngine.Parts(timeline.Parts)}";
        return timeline.EntriesSkipped == 0
            ? read
            : $"{read} (the first part and the latest; {timeline.EntriesSkipped} entries in between were not read)";
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
