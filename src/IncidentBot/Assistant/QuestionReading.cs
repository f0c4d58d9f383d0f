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
        "a", "about", "all", "also", "am", "an", "and", "any", "anything", "are", "as", "at", "be", "been", "being", "bot", "by",
        "can", "could", "count", "currently", "did", "do", "does", "doing", "done", "ever", "every", "far", "for", "from", "get",
        "give", "got", "had", "has", "have", "having", "hello", "here", "hey", "hi", "how", "i", "in", "incident", "incidentbot",
        "incidents", "is", "it", "its", "just", "kindly", "know", "let", "list", "many", "me", "much", "my", "need", "now",
        "number", "of", "on", "one", "ones", "or", "our", "outage", "outages", "please", "pls", "right", "see", "show", "so",
        "some", "tell", "thanks", "that", "the", "there", "these", "they", "this", "those", "to", "total", "us", "was", "we",
        "were", "what", "whats", "which", "with", "would", "yet", "you", "your", "occurred", "occur", "happened", "happen",
        "had", "declared", "opened", "raised", "reported", "logged", "recorded", "filed", "created", "started", "incidents'",
        "issue", "issues", "quick", "question", "moment", "display", "find", "fetch", "look", "lookup", "will", "should", "shall",
        "then", "exactly", "overall", "altogether", "been", "ok", "okay", "folks", "team", "guys", "wondering", "want", "wanted",
        "like", "kind", "sort", "still", "until", "til", "till", "seen", "having", "saw", "got", "gotten", "s", "d", "t", "ll", "re", "ve",
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
