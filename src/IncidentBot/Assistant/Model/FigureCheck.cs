using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// Compares the figure a model's answer states with the one the store computes for the same question: the first
/// number of incidents it states ("3 SEV-1 incidents", "no incidents") with the count, the first duration ("1 h 30
/// min", "90 minutes", "1.5 hours") with the MTTR or the incident's duration. Simple enough to explain: a figure the
/// store can compute is the store's, and an answer that says otherwise is not given.
/// </summary>
internal static partial class FigureCheck
{
    /// <summary>Durations this close count as the same: models round.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["no"] = 0, ["zero"] = 0, ["one"] = 1, ["a single"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
    };

    /// <summary>What the model got wrong, as a phrase that follows "the model" ("stated 5 incidents where the store counts 3"); null when it agrees or states no such figure.</summary>
    public static string? Mismatch(string modelText, QuestionAnswer store)
    {
        var text = CitationVerdicts.Strip(modelText);
        if (store.Count is { } count && StatedCount(text) is { } stated && stated != count)
        {
            return $"stated {stated} incident{(stated == 1 ? "" : "s")} where the store counts {count}";
        }

        if (store.Duration is { } duration && StatedDuration(text) is { } said && (said - duration).Duration() > Tolerance)
        {
            return $"stated {AnswerWriter.Duration(said)} where the store computes {AnswerWriter.Duration(duration)}";
        }

        return null;
    }

    internal static int? StatedCount(string text)
    {
        var match = CountPhrase().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var number = match.Groups["n"].Value;
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) ? digits : NumberWords[number];
    }

    internal static TimeSpan? StatedDuration(string text)
    {
        var match = DurationPhrase().Matches(text).FirstOrDefault(m => m.Groups["d"].Success || m.Groups["h"].Success || m.Groups["m"].Success);
        if (match is null)
        {
            return null;
        }

        return TimeSpan.FromDays(Amount(match, "d")) + TimeSpan.FromHours(Amount(match, "h")) + TimeSpan.FromMinutes(Amount(match, "m"));
    }

    private static double Amount(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"(?<![\w#.:-])(?<n>\d{1,6}|no|zero|one|a single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[\w-]+\s+){0,3}?incidents?\b", RegexOptions.IgnoreCase)]
    private static partial Regex CountPhrase();

    [GeneratedRegex(@"(?<![\w.:-])(?=\d)(?:(?<d>\d+(?:\.\d+)?)\s*(?:d|days?)\b\s*(?:and\s+)?)?(?:(?<h>\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b\s*(?:and\s+)?)?(?:(?<m>\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes?)\b)?", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPhrase();
}
