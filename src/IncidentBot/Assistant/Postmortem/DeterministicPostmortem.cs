using IncidentBot.Incidents;
using IncidentBot.Storage;

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
        values["root_cause"] = RootCause(writer, incident, digest);
        values["resolution"] = Bullets(writer, Resolution(incident, digest), "_Not stated in the timeline: say what ended the incident._");
        var actionItems = PostmortemTemplate.FollowUpItems(incident, writer)
            .Concat(digest.ActionItems.Select(e => $"- [ ] {AnswerWriter.Describe(e, at)}{writer.Markers([e.Citation])}"))
            .ToList();
        values["action_items"] = actionItems.Count == 0
            ? "- [ ] _For the team to fill in: what will stop this from happening again, each with an owner._"
            : string.Join("\n", actionItems);
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

    /// <summary>What the timeline states as the cause, never the fix; without one, the hypotheses raised, said to be unconfirmed.</summary>
    private static string RootCause(AnswerWriter writer, Incident incident, TimelineDigest digest)
    {
        if (digest.RootCause.Count > 0)
        {
            return Bullets(writer, DigestLines.Cite(digest.RootCause, incident), "");
        }

        const string NotStated = "_Not stated in the timeline: for the team to establish._";
        return digest.Hypotheses.Count == 0
            ? NotStated
            : $"{NotStated} Hypotheses raised during the incident, not confirmed:\n\n{Bullets(writer, DigestLines.Cite(digest.Hypotheses, incident), "")}";
    }

    /// <summary>
    /// What ended the incident: the mitigation and resolution summaries, then the action and resolution posts, each said
    /// once (a post that repeats a summary adds its source to the summary's line), without status changes or causes.
    /// </summary>
    private static IReadOnlyList<CitedLine> Resolution(Incident incident, TimelineDigest digest)
    {
        var lines = new List<CitedLine>();
        var said = new List<string>();
        foreach (var (field, label, value) in new[] { ("mitigationSummary", "Mitigation", incident.MitigationSummary), ("resolutionSummary", "Resolution", incident.ResolutionSummary) })
        {
            if (value is not null && !said.Contains(Plain(value)))
            {
                DigestLines.AddField(lines, incident, digest, field, label, value);
                said.Add(Plain(value));
            }
        }

        var causes = digest.RootCause.Select(e => e.Id).ToHashSet();
        var posts = digest.Done.Where(e => e.Kind is TimelineEntryKind.Action or TimelineEntryKind.Resolution).TakeLast(5)
            .Concat(digest.Resolution)
            .DistinctBy(e => e.Id)
            .Where(e => !causes.Contains(e.Id) && lines.All(l => !l.Sources.Contains(e.Citation)))
            .OrderBy(e => e.At);
        foreach (var post in posts)
        {
            var repeated = said.IndexOf(Plain(post.Text));
            if (repeated >= 0)
            {
                lines[repeated] = lines[repeated] with { Sources = [.. lines[repeated].Sources, post.Citation] };
                continue;
            }

            lines.Add(AnswerWriter.Cite(post, incident.DeclaredAt));
            said.Add(Plain(post.Text));
        }

        return lines;
    }

    /// <summary>Text compared for repetition: its words in lower case, punctuation and spacing aside.</summary>
    private static string Plain(string text) => string.Join(' ', SearchTerms.SplitWords(text));

    private static string Bullets(AnswerWriter writer, IReadOnlyList<CitedLine> lines, string whenEmpty) =>
        lines.Count == 0 ? whenEmpty : string.Join("\n", lines.Select(l => $"- {l.Text}{writer.Markers(l.Sources)}"));
}
