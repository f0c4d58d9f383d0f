using System.Text.RegularExpressions;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>
/// A question being read: each part that is understood (a reference, a time frame, a severity, what is asked) is
/// taken out of the text, so what is left at the end is exactly what was not understood. Words that only hold a
/// question together ("what", "the", "please") are not a part and need no understanding.
/// </summary>
internal sealed partial class QuestionReading(string lower)
{
    /// <summary>Scaffolding of questions: words that carry nothing the answer depends on.</summary>
    private static readonly HashSet<string> Scaffolding = new(StringComparer.Ordinal)
    {
        "a", "about", "all", "also", "altogether", "am", "an", "and", "any", "anything", "are", "as", "at", "be", "been", "being",
        "bot", "by", "can", "could", "count", "created", "currently", "d", "declared", "did", "display", "do", "does", "doing",
        "done", "ever", "every", "exactly", "far", "fetch", "filed", "find", "folks", "for", "from", "get", "give", "got",
        "gotten", "guys", "had", "happen", "happened", "has", "have", "having", "hello", "here", "hey", "hi", "how", "i", "in",
        "incident", "incidentbot", "incidents", "is", "issue", "issues", "it", "its", "just", "kind", "kindly",
        "know", "let", "like", "list", "ll", "logged", "look", "lookup", "many", "me", "moment", "much", "my", "need", "now",
        "number", "occur", "occurred", "of", "ok", "okay", "on", "one", "ones", "opened", "or", "our", "outage", "outages",
        "overall", "please", "pls", "question", "quick", "raised", "re", "recorded", "reported", "right", "s", "saw", "see",
        "seen", "shall", "should", "show", "so", "some", "sort", "started", "still", "t", "team", "tell", "thanks", "that", "the",
        "then", "there", "these", "they", "this", "those", "til", "till", "to", "total", "until", "us", "ve", "want", "wanted",
        "was", "we", "were", "what", "whats", "which", "will", "with", "wondering", "would", "yet", "you", "your",
    };

    private string text = lower;

    public string Text => text;

    /// <summary>Takes the first match of the pattern out of the text; unsuccessful when there is none.</summary>
    public Match Take(Regex pattern)
    {
        var match = pattern.Match(text);
        if (match.Success)
        {
            Blank(match.Index, match.Length);
        }

        return match;
    }

    /// <summary>Takes every match of the pattern out of the text.</summary>
    public IReadOnlyList<Match> TakeAll(Regex pattern)
    {
        var matches = new List<Match>();
        while (Take(pattern) is { Success: true, Length: > 0 } match)
        {
            matches.Add(match);
        }

        return matches;
    }

    public bool Has(Regex pattern) => pattern.IsMatch(text);

    /// <summary>The words left that are more than scaffolding: what was not understood.</summary>
    public IReadOnlyList<string> Unread() =>
        SearchTerms.SplitWords(text).Where(word => !IsScaffolding(word)).Distinct().ToList();

    public static bool IsScaffolding(string word) => Scaffolding.Contains(word);

    /// <summary>A part taken out leaves one space, so the patterns read what is left as if it had never been there.</summary>
    private void Blank(int index, int length) =>
        text = Spaces().Replace(string.Concat(text.AsSpan(0, index), " ", text.AsSpan(index + length)), " ");

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
