using System.Text;

namespace IncidentBot.Storage;

/// <summary>
/// Incidents by words: full-text, ranked. Kept apart from <see cref="IIncidentReader"/> because each storage
/// provider brings its own text search (SQLite FTS5, PostgreSQL tsvector).
/// </summary>
public interface IIncidentSearch
{
    /// <summary>
    /// Incidents that pass the filter and whose title, services, details or timeline text contain any of
    /// the words, best match first (BM25 on SQLite, ts_rank weighted alike on PostgreSQL), at most <see cref="IncidentFilter.Limit"/>. Each match names its
    /// best timeline entry, if the timeline matched, so the answer can cite it.
    /// </summary>
    Task<IReadOnlyList<IncidentTextMatch>> MatchAsync(SearchTerms terms, IncidentFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// Words to look for, reduced to letters and digits, so no provider's query syntax (FTS5's quotes,
/// <c>NEAR</c>, <c>*</c>, <c>-</c>, <c>:</c>; tsquery's <c>&amp;|!</c>) can be smuggled in. Any word matches.
/// </summary>
public sealed record SearchTerms
{
    public const int MaxWords = 32;
    public const int MaxWordLength = 64;

    private SearchTerms(IReadOnlyList<string> words) => Words = words;

    public IReadOnlyList<string> Words { get; }

    public bool IsEmpty => Words.Count == 0;

    /// <summary>Keeps each word's letters and digits (lower case), drops empty and duplicate words.</summary>
    public static SearchTerms Of(IEnumerable<string> words)
    {
        var kept = new List<string>();
        foreach (var word in words)
        {
            foreach (var part in SplitWords(word))
            {
                if (kept.Count < MaxWords && !kept.Contains(part))
                {
                    kept.Add(part);
                }
            }
        }

        return new SearchTerms(kept);
    }

    /// <summary>Splits text into lower-case runs of letters and digits, as the unicode61 tokenizer does.</summary>
    public static IEnumerable<string> SplitWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            if (word.Length > 0)
            {
                yield return Cut(word);
            }
        }

        if (word.Length > 0)
        {
            yield return Cut(word);
        }
    }

    private static string Cut(StringBuilder word)
    {
        var text = word.Length <= MaxWordLength ? word.ToString() : word.ToString(0, MaxWordLength);
        word.Clear();
        return text;
    }
}

/// <summary>One incident found by words: how well its own fields and its best timeline entry matched.</summary>
public sealed record IncidentTextMatch(
    long Number, double IncidentScore, double TimelineScore, long? EntryId, string? EntryText, string? EntryPermalink)
{
    /// <summary>The incident's own fields count double a single message: they describe the whole incident.</summary>
    public double Score => IncidentScore + (0.5 * TimelineScore);
}
