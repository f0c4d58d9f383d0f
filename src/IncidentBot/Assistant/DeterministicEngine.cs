using IncidentBot.Incidents;

namespace IncidentBot.Assistant;

/// <summary>
/// The assistant without a model: every answer is assembled from the stored incident and its timeline by
/// fixed, explainable rules, through the same read-only <see cref="IncidentPlugin"/> a model would use.
/// </summary>
public sealed partial class DeterministicEngine(IncidentPlugin plugin, PostmortemTemplateSource templates, TimeProvider time) : IAssistantEngine
{
    /// <summary>Timeline entries read per part; a summary holds one part at a time, whatever the timeline's length.</summary>
    public const int PageSize = 500;

    public string Name => AssistantEngines.Deterministic;

    public async Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default)
    {
        var incident = await plugin.GetIncidentAsync(IncidentReference.Format(number), cancellationToken);
        var digest = await DigestAsync(incident, cancellationToken);
        var now = time.GetUtcNow();
        var open = incident.Status.IsOpen();
        var end = open ? now : incident.ResolvedAt ?? incident.UpdatedAt;
        var duration = end > incident.DeclaredAt ? end - incident.DeclaredAt : TimeSpan.Zero;
        var record = new Citation(incident.Number);
        var impact = ImpactLines(incident, digest);
        var done = Cite(digest.Done, incident);
        var trying = open ? Cite(digest.TryingNow, incident) : [];
        var questions = Cite(digest.OpenQuestions.TakeLast(3), incident);

        var writer = new AnswerWriter();
        writer.Line($"**Summary of {incident.Reference} · {incident.Title}**");
        writer.Line($"_From the {AnswerWriter.EngineNote}: read {digest.EntriesRead} timeline entries in {Parts(digest.Parts)}; times in UTC._");
        writer.Heading("Current state");
        writer.Bullet(
            $"Status **{incident.Status.ToLabel()}** · {incident.Severity.ToLabel()} ({incident.Severity.Describe()}) · commander {AnswerWriter.Person(incident.CommanderId)} · {DurationPhrase(incident, duration)}",
            record);
        if (incident.Services.Count > 0)
        {
            writer.Bullet($"Services: {string.Join(", ", incident.Services)}", record);
        }

        Section(writer, "Impact", impact, "Nothing recorded yet.");
        Section(writer, "What has been done", done, "Nothing recorded yet.");
        Section(writer, "Being tried now", trying,
            open ? "Nothing recorded since the last status change." : $"Nothing: the incident is {incident.Status.ToLabel()}.");
        Section(writer, "Open questions", questions, "None: every question in the timeline got a reply.");
        return new SummaryAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incident = IncidentBrief.Of(incident),
            Duration = duration,
            EntriesRead = digest.EntriesRead,
            Parts = digest.Parts,
            Impact = impact,
            Done = done,
            TryingNow = trying,
            OpenQuestions = questions,
        };
    }

    /// <summary>Reads the whole timeline one page at a time into a digest of bounded size.</summary>
    internal async Task<TimelineDigest> DigestAsync(Incident incident, CancellationToken cancellationToken, int doneCapacity = 12)
    {
        var digest = new TimelineDigest(doneCapacity);
        string? cursor = null;
        do
        {
            var page = await plugin.GetTimelinePageAsync(incident.Reference, cursor, PageSize, cancellationToken);
            digest.Read(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return digest;
    }

    private static IReadOnlyList<CitedLine> ImpactLines(Incident incident, TimelineDigest digest)
    {
        var lines = new List<CitedLine>();
        if (incident.CustomerImpact is { } impact)
        {
            var source = digest.FieldSources.TryGetValue("impact", out var entry) ? entry.Citation : new Citation(incident.Number);
            lines.Add(new CitedLine($"Customer impact: {EntryClassifier.Excerpt(impact, 300)}", [source]));
        }

        lines.AddRange(Cite(digest.Impact, incident));
        return lines;
    }

    private static IReadOnlyList<CitedLine> Cite(IEnumerable<NotedEntry> entries, Incident incident) =>
        entries.Select(e => AnswerWriter.Cite(e, incident.DeclaredAt)).ToList();

    private static void Section(AnswerWriter writer, string heading, IReadOnlyList<CitedLine> lines, string whenEmpty)
    {
        writer.Heading(heading);
        if (lines.Count == 0)
        {
            writer.Line($"- {whenEmpty}");
        }

        foreach (var line in lines)
        {
            writer.Bullet(line);
        }
    }

    internal static string DurationPhrase(Incident incident, TimeSpan duration) =>
        incident.Status.IsOpen()
            ? $"open for {AnswerWriter.Duration(duration)} (declared {AnswerWriter.Time(incident.DeclaredAt)})"
            : $"{incident.Status.ToLabel()} after {AnswerWriter.Duration(duration)} (declared {AnswerWriter.Time(incident.DeclaredAt)}, resolved {AnswerWriter.Time(incident.ResolvedAt ?? incident.UpdatedAt)})";

    internal static string Parts(int parts) => parts == 1 ? "1 part" : $"{parts} parts";
}
