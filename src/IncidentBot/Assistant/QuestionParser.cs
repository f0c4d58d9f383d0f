using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.Assistant;

public enum QuestionKind
{
    /// <summary>"give me a summary of this incident".</summary>
    Summary,

    /// <summary>"are there any related incidents?", "find me incidents related to DDOS attacks from the past month".</summary>
    Related,

    /// <summary>"how many incidents are currently ongoing?".</summary>
    Count,

    /// <summary>"show me all Sev-1 incidents that occurred in the past week".</summary>
    List,

    /// <summary>"what was the root cause of incident-123?".</summary>
    RootCause,

    /// <summary>"what remediation actions did the responders take in incident-123?".</summary>
    Remediation,

    /// <summary>"a customer is unable to check out. Is there an incident?".</summary>
    Symptom,

    /// <summary>"draft a postmortem".</summary>
    Postmortem,

    /// <summary>Nothing above: the words are searched for in incident history.</summary>
    Search,
}

/// <summary>A question as <see cref="QuestionParser"/> read it. Absent parts were not in the question.</summary>
public sealed record AssistantQuestion
{
    public required string Text { get; init; }
    public required QuestionKind Kind { get; init; }

    /// <summary>The incident the question names (<c>incident-123</c>, <c>INC-42</c>, <c>#7</c>).</summary>
    public long? Reference { get; init; }

    /// <summary>The incident of the channel the question was asked in.</summary>
    public long? CurrentIncident { get; init; }

    /// <summary>The incident the question is about: the one it names, else the one it was asked in.</summary>
    public long? Incident => Reference ?? CurrentIncident;

    /// <summary>The incident whose postmortem draft the question asks for; null when it asks for something else.</summary>
    public long? PostmortemOf => Kind == QuestionKind.Postmortem ? Incident : null;

    /// <summary>Words to search for (related, symptom and search questions).</summary>
    public string? Query { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>The time frame as the question put it ("the past week"), to repeat in the answer.</summary>
    public string? TimeFrame { get; init; }
    public IReadOnlyList<Severity> Severities { get; init; } = [];
    public IReadOnlyList<IncidentStatus> Statuses { get; init; } = [];

    /// <summary>Words the question uses for services ("payments"); matched against the services incidents have.</summary>
    public IReadOnlyList<string> ServiceWords { get; init; } = [];

    public string KindName => Kind switch
    {
        QuestionKind.RootCause => "root_cause",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// Reads questions about incidents in plain words by fixed patterns, the way product.md's examples and
/// their natural variations are written. Pure: no I/O, never throws.
/// </summary>
public static partial class QuestionParser
{
    /// <summary>Questions are short; reading only this much keeps the patterns' cost flat whatever is pasted in.</summary>
    public const int MaxLength = 2_000;

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["couple of"] = 2, ["three"] = 3, ["few"] = 3, ["four"] = 4,
        ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["twelve"] = 12,
    };

    public static AssistantQuestion Parse(string? text, DateTimeOffset now, long? currentIncident = null)
    {
        var clean = Clean(text);
        var lower = clean.ToLowerInvariant();
        var (since, until, frame, withoutTime) = ReadTimeFrame(lower, now);
        var kind = ReadKind(lower);
        var question = new AssistantQuestion
        {
            Text = clean,
            Kind = kind,
            Reference = ReadReference(clean),
            CurrentIncident = currentIncident,
            Since = since,
            Until = until,
            TimeFrame = frame,
            Severities = ReadSeverities(lower),
            Statuses = ReadStatuses(lower, kind),
            ServiceWords = ReadServiceWords(lower),
        };
        return kind switch
        {
            QuestionKind.Related => question with { Query = ReadRelatedQuery(withoutTime) },
            QuestionKind.Symptom => question with { Query = Symptom().Replace(withoutTime, " ").Trim() },
            QuestionKind.Search => question with { Query = withoutTime.Trim() },
            _ => question,
        };
    }

    private static QuestionKind ReadKind(string lower) =>
        Postmortem().IsMatch(lower) ? QuestionKind.Postmortem
        : RootCause().IsMatch(lower) ? QuestionKind.RootCause
        : Remediation().IsMatch(lower) ? QuestionKind.Remediation
        : Summary().IsMatch(lower) ? QuestionKind.Summary
        : Count().IsMatch(lower) ? QuestionKind.Count
        : Related().IsMatch(lower) ? QuestionKind.Related
        : Symptom().IsMatch(lower) ? QuestionKind.Symptom
        : List().IsMatch(lower) || SeverityWord().IsMatch(lower) ? QuestionKind.List
        : QuestionKind.Search;

    /// <summary>Slack's escaping undone, the bot's own mention dropped, whitespace collapsed.</summary>
    private static string Clean(string? text)
    {
        var decoded = SlackMarkup.Unescape(text is { Length: > MaxLength } ? text[..MaxLength] : text ?? "");
        var withoutMention = LeadingMention().Replace(decoded, "");
        return Whitespace().Replace(withoutMention, " ").Trim();
    }

    private static long? ReadReference(string text)
    {
        var match = Reference().Match(text);
        return match.Success && IncidentReference.TryParse(match.Groups[1].Value, out var number) ? number : null;
    }

    private static (DateTimeOffset? Since, DateTimeOffset? Until, string? Frame, string Remainder) ReadTimeFrame(string lower, DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var match = TimeFrame().Match(lower);
        if (!match.Success)
        {
            return (null, null, null, lower);
        }

        var rest = lower.Remove(match.Index, match.Length);
        if (match.Groups["today"].Success)
        {
            return (today, now, "today", rest);
        }

        if (match.Groups["yesterday"].Success)
        {
            return (today.AddDays(-1), today, "yesterday", rest);
        }

        var count = match.Groups["count"].Success
            ? int.TryParse(match.Groups["count"].Value, out var digits) ? digits : NumberWords.GetValueOrDefault(match.Groups["count"].Value.Trim(), 1)
            : 1;
        count = Math.Clamp(count, 1, 10_000);
        var unit = match.Groups["unit"].Value;
        var span = unit switch
        {
            "minute" => TimeSpan.FromMinutes(count),
            "hour" => TimeSpan.FromHours(count),
            "day" => TimeSpan.FromDays(count),
            "week" => TimeSpan.FromDays(7 * count),
            "fortnight" => TimeSpan.FromDays(14 * count),
            "month" => TimeSpan.FromDays(30 * count),
            "quarter" => TimeSpan.FromDays(91 * count),
            _ => TimeSpan.FromDays(365 * Math.Min(count, 20)),
        };
        var frame = match.Groups["this"].Success ? $"this {unit}" : count == 1 ? $"the past {unit}" : $"the past {count} {unit}s";
        return (now - span, now, frame, rest);
    }

    private static IReadOnlyList<Severity> ReadSeverities(string lower)
    {
        var severities = new List<Severity>();
        foreach (Match match in SeverityNumber().Matches(lower))
        {
            severities.Add((Severity)(match.Groups[1].Value[0] - '0'));
        }

        foreach (Match match in SeverityWord().Matches(lower))
        {
            if (SeverityText.TryParse(match.Groups[1].Value, out var severity))
            {
                severities.Add(severity);
            }
        }

        return severities.Distinct().Order().ToList();
    }

    private static IReadOnlyList<IncidentStatus> ReadStatuses(string lower, QuestionKind kind)
    {
        if (kind is not (QuestionKind.Count or QuestionKind.List or QuestionKind.Related))
        {
            return [];
        }

        var statuses = new List<IncidentStatus>();
        if (Open().IsMatch(lower))
        {
            statuses.AddRange([IncidentStatus.Active, IncidentStatus.Stable]);
        }

        if (Stable().IsMatch(lower))
        {
            statuses.Add(IncidentStatus.Stable);
        }

        if (Resolved().IsMatch(lower))
        {
            statuses.AddRange([IncidentStatus.Resolved, IncidentStatus.Completed]);
        }

        return statuses.Distinct().ToList();
    }

    private static IReadOnlyList<string> ReadServiceWords(string lower)
    {
        var words = new List<string>();
        foreach (var pattern in new[] { ServiceNamed(), ServiceListed(), ServiceImpacted() })
        {
            foreach (Match match in pattern.Matches(lower))
            {
                foreach (var name in match.Groups["name"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var word = name.Trim('.', '-', '_');
                    if (word.Length > 1 && word is not ("the" or "any" or "a" or "an" or "our" or "all" or "incident" or "incidents") && !words.Contains(word))
                    {
                        words.Add(word);
                    }
                }
            }
        }

        return words;
    }

    /// <summary>"… related to DDOS attacks from …" → "DDOS attacks"; null when the question names no subject.</summary>
    private static string? ReadRelatedQuery(string lowerWithoutTime)
    {
        var match = RelatedSubject().Match(lowerWithoutTime);
        if (!match.Success)
        {
            return null;
        }

        var subject = TrailingJoiners().Replace(match.Groups["subject"].Value, "").Trim(' ', '?', '.', '!', ',');
        return SearchWords.Words(subject).Count == 0 ? null : subject;
    }

    [GeneratedRegex(@"^\s*" + SlackMarkup.UserMentionPattern + @"[\s,:]*")]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<![\w-])((?:inc(?:ident)?[- ]?#?|#)\d{1,12})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex(@"\b(?:(?:in|during|over|within|from|for|of|since)\s+)?(?:(?<today>today)|(?<yesterday>yesterday)|(?:the\s+)?(?:(?:past|last|previous)|(?<this>this))\s+(?:(?<count>\d{1,5}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple of|few)\s+)?(?<unit>minute|hour|day|week|fortnight|month|quarter|year)s?)\b")]
    private static partial Regex TimeFrame();

    [GeneratedRegex(@"\bpost[- ]?mortems?\b|\bincident review\b")]
    private static partial Regex Postmortem();

    [GeneratedRegex(@"\broot[- ]?causes?\b|\bwhat caused\b|\bcaused? of\b|\bwhy did\b.*\b(happen|fail|break|go down)\b|\brca\b")]
    private static partial Regex RootCause();

    [GeneratedRegex(@"\bremediat\w*|\bmitigation (steps|actions)\b|\bactions? (did|were|was|have been|has been)\b|\bwhat (did|have|has) (the )?(responders?|team|we|they|people|engineers|on-?call)\b.*\b(do|done|take|taken|try|tried)\b|\bhow (was|were|did) (it|this|that|they|we|the incident|inc\S*|incident\S*)\b.*\b(fix|fixed|mitigated?|resolved?)\b|\bwhat was done\b|\bsteps (taken|were taken)\b")]
    private static partial Regex Remediation();

    [GeneratedRegex(@"\bsummar(y|ise|ize|ies)\b|\brecap\b|\bcatch me up\b|\btl;?dr\b|\bwhat('s| is) (going on|happening)\b|\bwhere are we\b")]
    private static partial Regex Summary();

    [GeneratedRegex(@"\bhow many\b|\bnumber of\b|^count\b")]
    private static partial Regex Count();

    [GeneratedRegex(@"\brelated\b|\bsimilar\b|\blike this (one|incident)\b|\bhappened before\b|\bseen (this|that|it) before\b")]
    private static partial Regex Related();

    [GeneratedRegex(@"\b(related to|similar to|about|involving|regarding|concerning|mentioning|matching|with)\s+(?<subject>.+)$")]
    private static partial Regex RelatedSubject();

    [GeneratedRegex(@"(\s+(from|in|during|over|within|for|of|since|that|which|the))+\s*[?.!]*\s*$")]
    private static partial Regex TrailingJoiners();

    [GeneratedRegex(@"\b(is|are) (there|this|we|you)( having| seeing| aware of)? (an? |any )?(known |ongoing |open |active |current )?(incidents?|outages?|issues?|problems?)( (going on|ongoing|open|right now|now|at the moment|for (this|that|it)))?\b\s*[?.!]*|\bknown (issue|incident|outage)s?\b\s*[?.!]*")]
    private static partial Regex Symptom();

    [GeneratedRegex(@"\b(show|list|find|give|which|what|were there|was there|are there|any|all)\b.*\bincidents?\b")]
    private static partial Regex List();

    [GeneratedRegex(@"\bsev(?:erity)?[\s_-]?([1-5])\b")]
    private static partial Regex SeverityNumber();

    [GeneratedRegex(@"\b(critical|high|major|moderate|medium|low|minor)(?:[- ]severity)?\s+incidents?\b")]
    private static partial Regex SeverityWord();

    [GeneratedRegex(@"\b(ongoing|open|active|current|currently|unresolved|in progress|still going|live)\b")]
    private static partial Regex Open();

    [GeneratedRegex(@"\b(stable|mitigated)\b")]
    private static partial Regex Stable();

    [GeneratedRegex(@"\b(resolved|closed|fixed|completed|finished)\b")]
    private static partial Regex Resolved();

    [GeneratedRegex(@"\b(?:impact(?:ed|ing|s)?|affect(?:ed|ing|s)?|hit|hitting|involv(?:ed|ing|es)|touch(?:ed|ing|es)?|on|for|in|with|of|to)\s+(?:the\s+)?(?<name>[a-z0-9][a-z0-9._-]*)\s+(?:service|services|api|app|system|cluster|database|db)\b")]
    private static partial Regex ServiceNamed();

    [GeneratedRegex(@"\bservices?\s*[:=]\s*(?<name>[a-z0-9][a-z0-9._-]*(?:\s*,\s*[a-z0-9][a-z0-9._-]*)*)")]
    private static partial Regex ServiceListed();

    [GeneratedRegex(@"\b(?:impact(?:ed|ing|s)?|affect(?:ed|ing|s)?)\s+(?:the\s+)?(?<name>[a-z0-9][a-z0-9._-]*)")]
    private static partial Regex ServiceImpacted();
}
