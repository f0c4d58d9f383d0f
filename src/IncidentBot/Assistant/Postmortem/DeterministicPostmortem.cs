using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Postmortem;

/// <summary>
/// The postmortem draft without a model: the record's facts, the key events, root cause, resolution, action items and
/// lessons the timeline states, each line cited, and what it does not state left for the team to write.
/// </summary>
public sealed class DeterministicPostmortem(IncidentPlugin plugin, PostmortemTemplateSource templates, TimeProvider time) : IPostmortemStep
{
    public string Engine => AssistantEngines.Deterministic;

    /// <remarks>The messages are counted from the timeline as it is read, so the draft agrees with itself.</remarks>
    public async Task<PostmortemAnswer> WriteAsync(Incident incident, int messages, CancellationToken cancellationToken = default)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken, doneCapacity: 20);
        var template = await templates.GetAsync(cancellationToken);
        var writer = new AnswerWriter();
        var record = new Citation(incident.Number);
        var at = incident.DeclaredAt;
        var now = time.GetUtcNow();
        var values = PostmortemTemplate.RecordValues(
            incident,
            $"> **DRAFT for humans to revise.** Written by the deterministic engine (no model) from the record and timeline of "
                + $"{incident.Reference} on {AnswerWriter.Time(now)}. Check each statement against its source [n] before sharing.",
            AnswerWriter.EngineNote,
            digest.WrittenEntries,
            now);
        values["summary"] = SummaryParagraph(incident, digest) + writer.Markers([record]);
        values["impact"] = Bullets(writer, DigestLines.Impact(incident, digest),
            "_No impact was recorded: say who was affected, how, and for how long._");
        values["timeline"] = "Times in UTC.\n\n" + Bullets(writer, DigestLines.Cite(digest.KeyEvents, incident), "_The timeline is empty._");
        var rootCause = new List<CitedLine>();
        DigestLines.AddField(rootCause, incident, digest, "resolutionSummary", "Resolution summary", incident.ResolutionSummary);
        rootCause.AddRange(DigestLines.Cite(digest.RootCause, incident));
        values["root_cause"] = Bullets(writer, rootCause, "_Not stated in the timeline: for the team to establish._");
        var resolution = new List<CitedLine>();
        DigestLines.AddField(resolution, incident, digest, "mitigationSummary", "Mitigation", incident.MitigationSummary);
        resolution.AddRange(DigestLines.Cite(digest.Done.Where(e => e.Kind is TimelineEntryKind.Action or TimelineEntryKind.Resolution).TakeLast(5), incident));
        resolution.AddRange(DigestLines.Cite(digest.Resolution, incident));
        values["resolution"] = Bullets(writer, resolution, "_Not stated in the timeline: say what ended the incident._");
        values["action_items"] = digest.ActionItems.Count == 0
            ? "- [ ] _For the team to fill in: what will stop this from happening again, each with an owner._"
            : string.Join("\n", digest.ActionItems.Select(e => $"- [ ] {AnswerWriter.Describe(e, at)}{writer.Markers([e.Citation])}"));
        values["lessons_learned"] = Bullets(writer, DigestLines.Cite(digest.Lessons, incident), "")
            + (digest.Lessons.Count == 0 ? "" : "\n\n") + "_For the team to write: what went well, what went badly, where we got lucky._";
        values["sources"] = string.Join("\n", writer.Citations.Select((c, i) => $"{i + 1}. {c}"));
        return new PostmortemAnswer
        {
            Number = incident.Number,
            Text = PostmortemTemplate.Render(template, values).TrimEnd() + "\n",
            Citations = writer.Citations,
        };
    }

    private static string SummaryParagraph(Incident incident, TimelineDigest digest)
    {
        var services = incident.Services.Count == 0 ? "" : $" affecting {string.Join(", ", incident.Services)}";
        var stable = incident.StableAt is { } s ? $", was stable at {AnswerWriter.Time(s)}" : "";
        var resolved = incident.ResolvedAt is { } r ? $" and was resolved at {AnswerWriter.Time(r)}" : "";
        var ttr = incident.TimeToResolve is { } t ? $", {AnswerWriter.Duration(t)} after it was declared" : "";
        var description = incident.Description is { } d ? $" {EntryClassifier.Excerpt(d, 600)}" : "";
        return $"{incident.Reference} “{incident.Title}” was a {incident.Severity.ToLabel()} ({incident.Severity.Describe()}) incident{services}. "
            + $"It was declared at {AnswerWriter.Time(incident.DeclaredAt)}{(incident.DeclaredBy is { } by ? $" by {AnswerWriter.Person(by)}" : "")}"
            + $"{stable}{resolved}{ttr}.{description} Its timeline holds {digest.WrittenEntries} messages and posts.";
    }

    private static string Bullets(AnswerWriter writer, IReadOnlyList<CitedLine> lines, string whenEmpty) =>
        lines.Count == 0 ? whenEmpty : string.Join("\n", lines.Select(l => $"- {l.Text}{writer.Markers(l.Sources)}"));
}
