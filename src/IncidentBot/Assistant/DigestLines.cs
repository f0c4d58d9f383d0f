using IncidentBot.Incidents;

namespace IncidentBot.Assistant;

/// <summary>The cited lines the deterministic cores take from an incident and its <see cref="TimelineDigest"/>.</summary>
internal static class DigestLines
{
    public static IReadOnlyList<CitedLine> Cite(IEnumerable<NotedEntry> entries, Incident incident) =>
        entries.Select(e => AnswerWriter.Cite(e, incident.DeclaredAt)).ToList();

    /// <summary>The recorded customer impact (cited where it was set), then what the timeline says about impact.</summary>
    public static IReadOnlyList<CitedLine> Impact(Incident incident, TimelineDigest digest)
    {
        var lines = new List<CitedLine>();
        if (incident.CustomerImpact is { } impact)
        {
            lines.Add(new CitedLine($"Customer impact: {EntryClassifier.Excerpt(impact, 300)}", [FieldSource(incident, digest, "impact")]));
        }

        lines.AddRange(Cite(digest.Impact, incident));
        return lines;
    }

    /// <summary>A field of the incident's record, cited where the timeline set it.</summary>
    public static void AddField(List<CitedLine> lines, Incident incident, TimelineDigest digest, string field, string label, string? value)
    {
        if (value is not null)
        {
            lines.Add(new CitedLine($"{label}: {EntryClassifier.Excerpt(value, 300)}", [FieldSource(incident, digest, field)]));
        }
    }

    private static Citation FieldSource(Incident incident, TimelineDigest digest, string field) =>
        digest.FieldSources.TryGetValue(field, out var entry) ? entry.Citation : new Citation(incident.Number);
}
