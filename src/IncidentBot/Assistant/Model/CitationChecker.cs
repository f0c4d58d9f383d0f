using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// Checks the citations a model writes (<c>[INC-7#123]</c> for a timeline entry, <c>[INC-7]</c> for the
/// incident record) against the store: the incident must exist, and the entry must exist, belong to it and
/// not be deleted. Citations of an answer, with their permalinks, come from the store, never from the model.
/// </summary>
internal sealed partial class CitationChecker(IIncidentReader incidents)
{
    /// <summary>More incidents than this in one answer are not looked up; their citations count as pointing at nothing.</summary>
    public const int MaxIncidents = 20;

    /// <summary>More entries than this in one answer are not looked up either.</summary>
    public const int MaxEntries = 200;

    public async Task<CitationVerdicts> CheckAsync(string text, CancellationToken cancellationToken = default)
    {
        var cited = References(text).Distinct().ToList();
        var numbers = cited.Select(c => c.Number).Distinct().Take(MaxIncidents).ToHashSet();
        var existing = numbers.Count == 0
            ? []
            : (await incidents.FindAsync(new IncidentFilter { Numbers = numbers, Limit = MaxIncidents }, cancellationToken)).Select(i => i.Number).ToHashSet();
        var entryIds = cited.Where(c => c.EntryId is not null && existing.Contains(c.Number)).Select(c => c.EntryId!.Value).Distinct().Take(MaxEntries).ToList();
        var entries = (await incidents.GetEntriesAsync(entryIds, cancellationToken)).Where(e => e.DeletedAt is null).ToDictionary(e => e.Id);
        var verdicts = new Dictionary<(long Number, long? EntryId), Citation?>();
        foreach (var reference in cited.Where(c => numbers.Contains(c.Number)))
        {
            verdicts[reference] = !existing.Contains(reference.Number) ? null
                : reference.EntryId is not { } id ? new Citation(reference.Number)
                : entries.TryGetValue(id, out var entry) && entry.IncidentNumber == reference.Number ? Citation.Of(entry)
                : null;
        }

        return new CitationVerdicts(verdicts);
    }

    internal static IEnumerable<(long Number, long? EntryId)> References(string text) =>
        Bracket().Matches(text).SelectMany(match => ReferencesIn(match.Groups[1].Value));

    private static IEnumerable<(long Number, long? EntryId)> ReferencesIn(string inside) =>
        Reference().Matches(inside).Select(m => (
            long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups[2].Success ? long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : (long?)null));

    /// <summary><c>[INC-7#123]</c>, <c>[INC-7]</c>, <c>[INC-7#123, INC-7#124]</c>.</summary>
    [GeneratedRegex(@"\[\s*(INC-\d{1,15}(?:\s*#\s*\d{1,15})?(?:\s*[,;]\s*INC-\d{1,15}(?:\s*#\s*\d{1,15})?)*)\s*\]", RegexOptions.IgnoreCase)]
    internal static partial Regex Bracket();

    [GeneratedRegex(@"INC-(\d{1,15})(?:\s*#\s*(\d{1,15}))?", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();
}

/// <summary>What each citation of a model's text points at: a real source, or nothing (null).</summary>
internal sealed partial class CitationVerdicts(IReadOnlyDictionary<(long Number, long? EntryId), Citation?> verdicts)
{
    public const string NotFound = "[source not found]";

    /// <summary>The line with each citation replaced by the writer's numbered marker, and each that points at nothing flagged.</summary>
    public string Mark(AnswerWriter writer, string line) =>
        CitationChecker.Bracket().Replace(line, match =>
        {
            var references = CitationChecker.References(match.Value).ToList();
            var real = references.Select(Verdict).OfType<Citation>().Distinct().ToList();
            var marked = writer.Markers(real).TrimStart();
            return references.Count > real.Count ? (marked + " " + NotFound).Trim() : marked;
        });

    /// <summary>The real sources a line cites.</summary>
    public IReadOnlyList<Citation> Sources(string line) =>
        CitationChecker.References(line).Select(Verdict).OfType<Citation>().Distinct().ToList();

    /// <summary>The line without its citations.</summary>
    public static string Strip(string line) => MultipleSpaces().Replace(CitationChecker.Bracket().Replace(line, ""), " ").Trim();

    /// <summary>How many citations in the text point at nothing.</summary>
    public int CountFlagged(string text) => CitationChecker.References(text).Count(r => Verdict(r) is null);

    private Citation? Verdict((long Number, long? EntryId) reference) => verdicts.GetValueOrDefault(reference);

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex MultipleSpaces();
}
