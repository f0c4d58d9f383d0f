using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>
/// Turns what people write into words worth searching for, and tells which of them a text contains
/// (to say why an incident matched).
/// </summary>
internal static class SearchWords
{
    /// <summary>Words that say nothing about what went wrong, including the scaffolding of questions.</summary>
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "again", "all", "am", "an", "and", "any", "anything", "are", "as", "at", "be", "been", "before",
        "being", "but", "by", "can", "could", "did", "do", "does", "doing", "during", "each", "few", "find", "for", "from",
        "get", "give", "got", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
        "is", "it", "its", "just", "know", "last", "let", "like", "list", "look", "me", "more", "most", "my", "no", "nor", "not",
        "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "past", "please", "related",
        "same", "see", "seen", "she", "should", "show", "similar", "so", "some", "such", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us",
        "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "incident", "incidents", "issue", "issues", "problem", "problems", "any", "ones",
        "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "today",
        "yesterday", "ago", "since", "within", "recent", "recently", "currently", "happened", "happening", "ongoing",
        "me", "hey", "hi", "thanks", "thank", "ok", "okay", "yes", "yeah", "lol", "pls", "also", "still", "going", "think",
    };

    /// <summary>"check out" is also written "checkout", "log in" "login", "roll back" "rollback".</summary>
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "out", "in", "up", "on", "off", "down", "over", "back" };

    private static readonly string[] Suffixes = ["ing", "ed", "es", "s", "ly", "er"];

    public static SearchTerms Terms(string? text) => SearchTerms.Of(Words(text));

    /// <summary>The words of <paramref name="text"/> worth searching for, in order, once each.</summary>
    public static IReadOnlyList<string> Words(string? text)
    {
        var raw = SearchTerms.SplitWords(text).ToList();
        var words = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            var word = raw[i];
            if (IsWorthSearching(word) && !words.Contains(word))
            {
                words.Add(word);
            }

            if (i + 1 < raw.Count && Particles.Contains(raw[i + 1]) && word.Length is >= 3 and <= 8 && !Stopwords.Contains(word))
            {
                var joined = word + raw[i + 1];
                if (!words.Contains(joined))
                {
                    words.Add(joined);
                }
            }
        }

        return words;
    }

    public static bool IsWorthSearching(string word) =>
        word.Length >= 2 && !Stopwords.Contains(word) && !word.All(char.IsAsciiDigit);

    /// <summary>The words of <paramref name="words"/> that <paramref name="text"/> contains, compared by a rough stem.</summary>
    public static IReadOnlyList<string> FoundIn(string? text, IEnumerable<string> words)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var stems = SearchTerms.SplitWords(text).Select(Stem).ToHashSet(StringComparer.Ordinal);
        return words.Where(word => stems.Contains(Stem(word))).Distinct().ToList();
    }

    /// <summary>
    /// A rough stem, close enough to the index's Porter stemmer to explain a match: "attacks" and "attacked"
    /// both become "attack".
    /// </summary>
    public static string Stem(string word)
    {
        foreach (var suffix in Suffixes)
        {
            if (word.Length - suffix.Length >= 3 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = word[..^suffix.Length];
                return stem.Length > 3 && stem[^1] == stem[^2] ? stem[..^1] : stem;
            }
        }

        return word;
    }
}
