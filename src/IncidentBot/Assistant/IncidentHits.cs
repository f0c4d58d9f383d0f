using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>Incidents found by words, each with why it matched: how related incidents and searching questions find and write them.</summary>
internal sealed class IncidentHits(IncidentPlugin plugin)
{
    /// <summary>At most this many incidents are listed as related.</summary>
    public const int Max = 10;

    /// <summary>Incidents matching the words, best first, each with why it matched.</summary>
    public async Task<IReadOnlyList<RelatedIncident>> SearchAsync(IReadOnlyList<string> words, IncidentFilter filter, CancellationToken cancellationToken)
    {
        var matches = await plugin.SearchAsync(SearchTerms.Of(words), filter, cancellationToken);
        if (matches.Count == 0)
        {
            return [];
        }

        var incidents = (await plugin.FindAsync(new IncidentFilter { Numbers = [.. matches.Select(m => m.Number)], Limit = matches.Count }, cancellationToken))
            .ToDictionary(i => i.Number);
        return matches
            .Where(m => incidents.ContainsKey(m.Number))
            .Select(m => new RelatedIncident(IncidentBrief.Of(incidents[m.Number]), Math.Round(m.Score, 3), Explain(incidents[m.Number], words, m, [])))
            .ToList();
    }

    public static void Write(AnswerWriter writer, IReadOnlyList<RelatedIncident> hits, string whenNone)
    {
        if (hits.Count == 0)
        {
            writer.Line().Line(whenNone);
            return;
        }

        writer.Line();
        foreach (var hit in hits)
        {
            writer.Line($"- {AnswerWriter.Describe(hit.Incident)} — {When(hit.Incident)}{writer.Markers([new Citation(hit.Incident.Number)])}");
            foreach (var reason in hit.Reasons)
            {
                writer.Line($"  - {reason.Text}{writer.Markers(reason.Sources)}");
            }
        }
    }

    public static string When(IncidentBrief incident) =>
        incident.ResolvedAt is { } resolved
            ? $"declared {AnswerWriter.Time(incident.DeclaredAt)}, resolved {AnswerWriter.Time(resolved)}"
            : $"declared {AnswerWriter.Time(incident.DeclaredAt)}";

    public static string Quote(IEnumerable<string> words) => string.Join(", ", words.Take(6).Select(w => $"“{w}”"));

    /// <summary>Says which words and services an incident shares with what was searched for, each with its source.</summary>
    public static IReadOnlyList<CitedLine> Explain(Incident incident, IReadOnlyList<string> words, IncidentTextMatch? match, IReadOnlyList<string> sharedServices)
    {
        var record = new Citation(incident.Number);
        var reasons = new List<CitedLine>();
        if (sharedServices.Count > 0)
        {
            reasons.Add(new CitedLine($"shares services: {string.Join(", ", sharedServices)}", [record]));
        }

        AddWords(reasons, "title mentions", incident.Title, words, record);
        AddWords(reasons, "services match", string.Join(' ', incident.Services.Except(sharedServices)), words, record);
        var details = string.Join(' ', incident.Description, incident.CustomerImpact, incident.MitigationSummary, incident.ResolutionSummary);
        AddWords(reasons, "details mention", details, words, record);
        if (match is { EntryId: { } entryId, EntryText: { } entryText })
        {
            var found = SearchWords.FoundIn(entryText, words);
            var mentions = found.Count == 0 ? "" : $" (mentions {Quote(found)})";
            reasons.Add(new CitedLine(
                $"timeline entry {entryId}: “{EntryClassifier.Excerpt(entryText, 160)}”{mentions}", [new Citation(incident.Number, entryId, match.EntryPermalink)]));
        }

        if (reasons.Count == 0)
        {
            reasons.Add(new CitedLine(
                match is null ? "open at the same time; no shared words or services" : "its details match the words searched for", [record]));
        }

        return reasons;
    }

    private static void AddWords(List<CitedLine> reasons, string label, string? text, IReadOnlyList<string> words, Citation source)
    {
        var found = SearchWords.FoundIn(text, words);
        if (found.Count > 0)
        {
            reasons.Add(new CitedLine($"{label} {Quote(found)}", [source]));
        }
    }
}
