using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>The parts of a question that narrow which incidents it is about: severities, statuses, services, a title.</summary>
internal static partial class QuestionFilters
{
    /// <summary>Words after "affecting …" that are not services.</summary>
    private static readonly HashSet<string> NotServices = new(StringComparer.Ordinal)
    {
        "the", "any", "a", "an", "our", "all", "incident", "incidents", "customers", "customer", "users", "user", "people", "us",
        "them", "it", "production", "prod", "anyone", "anything", "many", "more", "most", "service", "services",
    };

    /// <summary>Words before "incident" that say which one without naming it: the latest, or this one.</summary>
    private static readonly HashSet<string> Latest = new(StringComparer.Ordinal) { "latest", "last", "newest", "recent", "most", "previous" };

    /// <summary>
    /// SEV-1 … SEV-5 in every spelling (sev1, SEV-1, sev 1, sev_1, severity 1, p1, plurals such as sev1s and SEV-1's),
    /// lists ("sev1 or sev2", "sev 1/2", "sev1-2"), bounds ("sev2 or higher", "at least sev2"), and the words of
    /// product.md (critical = 1, high/major = 2, moderate/medium = 3, low = 4, minor = 5) when they qualify incidents.
    /// </summary>
    public static IReadOnlyList<Severity> ReadSeverities(QuestionReading reading)
    {
        var severities = new List<Severity>();
        foreach (var match in reading.TakeAll(SeverityNumbers()))
        {
            var numbers = match.Groups["n"].Captures.Select(c => c.Value[0] - '0').ToList();
            if (match.Groups["range"].Success)
            {
                numbers = [.. Enumerable.Range(Math.Min(numbers[0], numbers[^1]), Math.Abs(numbers[^1] - numbers[0]) + 1)];
            }

            if (match.Groups["up"].Success)
            {
                numbers = [.. Enumerable.Range(1, numbers.Max())];
            }
            else if (match.Groups["down"].Success)
            {
                numbers = [.. Enumerable.Range(numbers.Min(), 6 - numbers.Min())];
            }

            severities.AddRange(numbers.Select(n => (Severity)n));
        }

        foreach (var match in reading.TakeAll(SeverityWords()))
        {
            foreach (Capture word in match.Groups["w"].Captures)
            {
                if (SeverityText.TryParse(word.Value, out var severity))
                {
                    severities.Add(severity);
                }
            }
        }

        return severities.Distinct().Order().ToList();
    }

    /// <summary>Open (ongoing, active, unresolved …), stable (mitigated) and resolved (closed, fixed, completed) incidents.</summary>
    public static IReadOnlyList<IncidentStatus> ReadStatuses(QuestionReading reading)
    {
        var statuses = new List<IncidentStatus>();
        if (reading.TakeAll(Open()).Count > 0)
        {
            statuses.AddRange(IncidentFilter.OpenStatuses);
        }

        if (reading.TakeAll(Stable()).Count > 0)
        {
            statuses.Add(IncidentStatus.Stable);
        }

        if (reading.TakeAll(Resolved()).Count > 0)
        {
            statuses.AddRange([IncidentStatus.Resolved, IncidentStatus.Completed]);
        }

        return statuses.Distinct().ToList();
    }

    /// <summary>Services named as such: "the payments service", "services: a, b", "affecting payments".</summary>
    public static IReadOnlyList<string> ReadServiceWords(QuestionReading reading)
    {
        var words = new List<string>();
        foreach (var pattern in new[] { ServiceNamed(), ServiceListed(), ServiceImpacted() })
        {
            foreach (var match in reading.TakeAll(pattern))
            {
                var names = match.Groups["name"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                words.AddRange(names.Select(n => n.Trim('.', '-', '_')).Where(n => n.Length > 1 && !NotServices.Contains(n) && !words.Contains(n)));
            }
        }

        return words;
    }

    /// <summary>
    /// "the login incident", "the payment provider outage": the words that name one incident by its title. "the latest
    /// incident" gives <c>["latest"]</c>; "this incident" gives nothing (it is the channel's).
    /// </summary>
    public static IReadOnlyList<string> ReadTitleWords(QuestionReading reading, QuestionKind kind)
    {
        var match = TitleNamed().Match(reading.Text);
        if (!match.Success)
        {
            return [];
        }

        var words = match.Groups["words"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !QuestionReading.IsScaffolding(w) && !QuestionVocabulary.Belongs(kind, w)).ToList();
        if (words.Count == 0)
        {
            return [];
        }

        reading.Take(TitleNamed());
        return words.All(Latest.Contains) ? ["latest"] : words.Where(w => !Latest.Contains(w) && w is not ("current" or "this")).ToList();
    }

    private const string Level = @"(?:sev(?:erity)?|priority)[\s_-]?(?<n>[1-5])|\bp(?<n>[1-5])";

    [GeneratedRegex(@"\b(?:(?<up>at\s+least)\s+)?(?:" + Level + @")(?:'?s)?(?:(?:\s*(?:,|/|or|and|&)\s*(?:(?:sev(?:erity)?|p|priority)[\s_-]?)?(?<n>[1-5])(?:'?s)?)*|(?<range>\s*(?:-|to)\s*(?<n>[1-5])))(?:\s*(?<up>\+|or\s+(?:higher|above|worse|more\s+severe)|and\s+(?:higher|above|up)))?(?:\s*(?<down>or\s+(?:lower|below|less\s+severe)|and\s+(?:lower|below)))?(?!\w)")]
    private static partial Regex SeverityNumbers();

    [GeneratedRegex(@"\b(?<w>critical|high|major|moderate|medium|low|minor)(?:\s*(?:,|/|or|and)\s*(?<w>critical|high|major|moderate|medium|low|minor))*(?:[\s-]+(?:severity|sev|priority))?(?=[\s-]+(?:incidents?|outages?|issues?|ones?)\b)|\b(?:severity|sev|priority)\s+(?:is\s+|of\s+)?(?<w>critical|high|major|moderate|medium|low|minor)\b|\b(?<w>critical)s\b")]
    private static partial Regex SeverityWords();

    [GeneratedRegex(@"\b(not\s+(yet\s+)?resolved|still\s+open|still\s+going|in\s+progress|ongoing|open|active|current|currently|unresolved|live|right\s+now|at\s+the\s+moment|investigating)\b")]
    private static partial Regex Open();

    [GeneratedRegex(@"\b(stable|mitigated|stabili[sz]ed)\b")]
    private static partial Regex Stable();

    [GeneratedRegex(@"\b(resolved|closed|fixed|completed|finished|over)\b")]
    private static partial Regex Resolved();

    [GeneratedRegex(@"\b(?:impact(?:ed|ing|s)?|affect(?:ed|ing|s)?|hit|hitting|involv(?:ed|ing|es)|touch(?:ed|ing|es)?|on|for|in|with|of|to)\s+(?:the\s+)?(?<name>[a-z0-9][a-z0-9._-]*)\s+(?:service|services|api|app|system|cluster|database|db)\b")]
    private static partial Regex ServiceNamed();

    [GeneratedRegex(@"\bservices?\s*[:=]\s*(?<name>[a-z0-9][a-z0-9._-]*(?:\s*,\s*[a-z0-9][a-z0-9._-]*)*)")]
    private static partial Regex ServiceListed();

    [GeneratedRegex(@"\b(?:impact(?:ed|ing|s)?|affect(?:ed|ing|s)?|touch(?:ed|ing|es)|hitting|involv(?:ed|ing|es))\s+(?:the\s+)?(?<name>[a-z0-9][a-z0-9._-]*)")]
    private static partial Regex ServiceImpacted();

    [GeneratedRegex(@"\b(?:the|that|this|of|for|on|in|about|with)\s+(?<words>(?:[a-z0-9][\w.-]*\s+){0,3}?[a-z0-9][\w.-]*)\s+(?:incident|outage)\b(?!s)")]
    private static partial Regex TitleNamed();
}
