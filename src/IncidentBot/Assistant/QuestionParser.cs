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

    /// <summary>Not understood: the words are searched for in incident history, and the answer says it did not understand.</summary>
    Search,

    /// <summary>"what is the status of the login incident?".</summary>
    Status,

    /// <summary>"what severity is INC-3?".</summary>
    Severity,

    /// <summary>"who is the commander of INC-3?".</summary>
    Commander,

    /// <summary>"which services does INC-3 affect?".</summary>
    Services,

    /// <summary>"what is the customer impact of INC-3?".</summary>
    Impact,

    /// <summary>"how long did INC-3 last?".</summary>
    Duration,

    /// <summary>"what changed in the last hour?", "any updates since 08:00?"; without a time frame, "what happened in INC-3?".</summary>
    Changes,

    /// <summary>"what's the MTTR this month?".</summary>
    Mttr,

    /// <summary>"what's our MTTD?".</summary>
    Mttd,

    /// <summary>"who restarted the database?": searched for in the timelines.</summary>
    WhoDid,

    /// <summary>"what did I miss?": what changed since the asker last wrote in the incident (or since the time frame's start).</summary>
    Catchup,

    /// <summary>"are incidents going up?", "incidents per week this month": incidents declared in each day, week or month.</summary>
    Trend,

    /// <summary>"which service has the most incidents?", "incidents by severity": incidents counted per service or severity.</summary>
    Breakdown,

    /// <summary>"what did bob do in INC-4?": a person's own entries in the timeline.</summary>
    PersonActivity,
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

    /// <summary>Words to search for (related, symptom, "who did" and search questions).</summary>
    public string? Query { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>The time frame as the question put it ("the past week"), to repeat in the answer.</summary>
    public string? TimeFrame { get; init; }

    /// <summary>The time frame with the moments it was read as: "this month (since 2026-11-01 00:00 UTC)".</summary>
    public string? Window { get; init; }
    public IReadOnlyList<Severity> Severities { get; init; } = [];
    public IReadOnlyList<IncidentStatus> Statuses { get; init; } = [];

    /// <summary>Words the question uses for services ("payments"); matched against the services incidents have.</summary>
    public IReadOnlyList<string> ServiceWords { get; init; } = [];

    /// <summary>Words naming one incident by its title ("the login incident" → login).</summary>
    public IReadOnlyList<string> TitleWords { get; init; } = [];

    /// <summary>"the latest incident": the most recently declared one.</summary>
    public bool Latest { get; init; }

    /// <summary>
    /// Words the question holds that no rule understood. A question about incidents may name services or words of
    /// titles with them; any other question with unread words is not answered, and the answer says which words.
    /// </summary>
    public IReadOnlyList<string> Unread { get; init; } = [];

    /// <summary>Whether the question asks about incidents in the plural ("incidents", "sev1s"), not one incident.</summary>
    public bool AboutMany { get; init; }

    /// <summary>The person the question names, with the part they played ("commanded by <@U0ALICE>").</summary>
    public QuestionPerson? Person { get; init; }

    /// <summary>"incidents declared today": the time frame holds their declaration, not merely some moment they were open.</summary>
    public bool DeclaredInFrame { get; init; }

    /// <summary>A trend's step ("day", "week", "month"), or a breakdown's dimension ("service", "severity").</summary>
    public string? Per { get; init; }

    /// <summary>The length of a question longer than <see cref="QuestionParser.MaxLength"/>, which is read only that far and not answered.</summary>
    public int? TooLongAt { get; init; }

    public string KindName => Kind switch
    {
        QuestionKind.RootCause => "root_cause",
        QuestionKind.WhoDid => "who_did",
        QuestionKind.PersonActivity => "person_activity",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// Reads questions about incidents in plain words by fixed patterns. Each part it understands (the incident named,
/// the time frame, severities, statuses, services, what is asked) is taken out of the question; the words left over
/// are what it did not understand (<see cref="AssistantQuestion.Unread"/>), so an answer is given only to a question
/// understood in full. Pure: no I/O, never throws.
/// </summary>
public static partial class QuestionParser
{
    /// <summary>
    /// Questions are short; reading only this much keeps the patterns' cost flat whatever is pasted in. A longer one is
    /// not answered (<see cref="AssistantQuestion.TooLongAt"/>): an answer to its first part would be a guess.
    /// </summary>
    public const int MaxLength = 2_000;

    public static AssistantQuestion Parse(string? text, DateTimeOffset now, long? currentIncident = null)
    {
        var clean = Clean(text);
        var reading = new QuestionReading(clean.ToLowerInvariant());
        var reference = ReadReference(reading);
        var frame = QuestionTimeFrame.Read(reading, now);
        var declaredInFrame = frame is not null && reading.Has(DeclaredWord());
        var person = QuestionPeople.Read(reading);
        var aboutMany = reading.Has(Plural());
        var severities = QuestionFilters.ReadSeverities(reading);
        aboutMany |= severities.Count > 0 && reference is null && !reading.Has(Singular());
        var beforeKind = reading.Text;
        var kind = person?.Role == PersonRole.Activity ? QuestionKind.PersonActivity : ReadKind(reading);
        var per = ReadStep(reading, kind);
        kind = kind switch
        {
            QuestionKind.Search or QuestionKind.List or QuestionKind.Count when per is "service" or "severity" => QuestionKind.Breakdown,
            QuestionKind.Search or QuestionKind.List or QuestionKind.Count when per is not null => QuestionKind.Trend,
            var read => read,
        };
        per = kind switch
        {
            QuestionKind.Trend => per is "day" or "week" or "month" ? per : "week",
            QuestionKind.Breakdown => per is "service" or "severity" ? per : DimensionOf(clean),
            _ => per,
        };
        var question = new AssistantQuestion
        {
            Text = clean,
            Kind = kind,
            Reference = reference,
            CurrentIncident = currentIncident,
            Since = frame?.Since,
            Until = frame?.Until,
            TimeFrame = frame?.Words,
            Window = frame?.Described(now),
            Severities = severities,
            AboutMany = aboutMany,
            Person = person,
            DeclaredInFrame = declaredInFrame,
            Per = per,
            TooLongAt = text?.Length > MaxLength ? text.Length : null,
        };
        return kind switch
        {
            QuestionKind.Related => question with { Query = ReadRelatedQuery(beforeKind), Statuses = QuestionFilters.ReadStatuses(reading) },
            QuestionKind.Symptom => WithFilters(question with { Query = reading.Text.Trim() }, reading),
            QuestionKind.WhoDid => WhoDidQuestion(question, reading),
            QuestionKind.PersonActivity => Settled(WithIncidentNamed(question, reading), reading),
            QuestionKind.Summary or QuestionKind.Postmortem or QuestionKind.Catchup => WithIncidentNamed(question, reading),
            _ => Settled(WithFilters(question, reading), reading),
        };
    }

    /// <summary>Statuses, the incident named by its title and services, taken out of what is left.</summary>
    private static AssistantQuestion WithFilters(AssistantQuestion question, QuestionReading reading)
    {
        var statuses = QuestionFilters.ReadStatuses(reading);
        var named = WithIncidentNamed(question with { Statuses = statuses }, reading);
        return named with { ServiceWords = QuestionFilters.ReadServiceWords(reading) };
    }

    private static AssistantQuestion WhoDidQuestion(AssistantQuestion question, QuestionReading reading)
    {
        var named = WithIncidentNamed(question, reading);
        return named with { Query = reading.Text.Trim() };
    }

    private static AssistantQuestion WithIncidentNamed(AssistantQuestion question, QuestionReading reading)
    {
        var title = QuestionFilters.ReadTitleWords(reading, question.Kind);
        return title is ["latest"] ? question with { Latest = true } : question with { TitleWords = title };
    }

    /// <summary>
    /// What is left decides the last of it: a question about one incident that asks for nothing more ("is INC-3 a
    /// sev1?") asks its severity or status; one about several incidents lists them; anything else unread stays unread.
    /// </summary>
    private static AssistantQuestion Settled(AssistantQuestion question, QuestionReading reading)
    {
        var unread = reading.Unread().Where(word => !QuestionVocabulary.Belongs(question.Kind, word)).ToList();
        var aboutOne = !question.AboutMany && (question.Reference is not null || question.TitleWords.Count > 0 || question.Latest);
        var kind = question.Kind switch
        {
            QuestionKind.Search when aboutOne && question.Severities.Count > 0 => QuestionKind.Severity,
            QuestionKind.Search when aboutOne && question.Statuses.Count > 0 => QuestionKind.Status,
            QuestionKind.Search when question.AboutMany || question.Severities.Count > 0 || question.Statuses.Count > 0 || question.Person is not null => QuestionKind.List,
            QuestionKind.Status or QuestionKind.Severity or QuestionKind.Commander or QuestionKind.Services when question.AboutMany && !aboutOne => QuestionKind.List,
            QuestionKind.Duration when question.AboutMany && !aboutOne => QuestionKind.Mttr,
            var read => read,
        };
        // "how did we fix the ddos?": the words left of a question about one incident, asked outside any, may name it by its title.
        if (kind is QuestionKind.RootCause or QuestionKind.Remediation or QuestionKind.Status or QuestionKind.Severity or QuestionKind.Commander
                or QuestionKind.Services or QuestionKind.Impact or QuestionKind.Duration
            && question is { AboutMany: false, Incident: null, Latest: false, Person: null, TitleWords.Count: 0 } && unread.Count is > 0 and <= 3)
        {
            return question with { Kind = kind, TitleWords = unread, Unread = [] };
        }

        return question with { Kind = kind, Unread = unread, Query = kind == QuestionKind.Search ? reading.Text.Trim() : null };
    }

    /// <summary>"per week", "by service": taken only where a count, list, trend or breakdown can be stepped so; elsewhere left unread.</summary>
    private static string? ReadStep(QuestionReading reading, QuestionKind kind)
    {
        if (kind is not (QuestionKind.Search or QuestionKind.List or QuestionKind.Count or QuestionKind.Trend or QuestionKind.Breakdown)
            || reading.Take(Step()) is not { Success: true } step)
        {
            return null;
        }

        return step.Groups["per"].Value is "dai" ? "day" : step.Groups["per"].Value;
    }

    private static QuestionKind ReadKind(QuestionReading reading)
    {
        foreach (var (pattern, kind) in KindPatterns)
        {
            if (reading.Take(pattern()).Success)
            {
                return kind;
            }
        }

        return QuestionKind.Search;
    }

    /// <summary>Checked in this order: the first pattern found decides what the question asks.</summary>
    private static readonly (Func<Regex> Pattern, QuestionKind Kind)[] KindPatterns =
    [
        (Postmortem, QuestionKind.Postmortem),
        (Mttd, QuestionKind.Mttd),
        (Mttr, QuestionKind.Mttr),
        (RootCause, QuestionKind.RootCause),
        (Remediation, QuestionKind.Remediation),
        (Missed, QuestionKind.Catchup),
        (Breakdown, QuestionKind.Breakdown),
        (Trend, QuestionKind.Trend),
        (ChangedSince, QuestionKind.Changes),
        (Summary, QuestionKind.Summary),
        (Commander, QuestionKind.Commander),
        (WhoDid, QuestionKind.WhoDid),
        (ServicesAsked, QuestionKind.Services),
        (ImpactAsked, QuestionKind.Impact),
        (DurationAsked, QuestionKind.Duration),
        (SeverityAsked, QuestionKind.Severity),
        (StatusAsked, QuestionKind.Status),
        (Count, QuestionKind.Count),
        (Related, QuestionKind.Related),
        (Symptom, QuestionKind.Symptom),
        (List, QuestionKind.List),
    ];

    /// <summary>Slack's escaping undone, the bot's own mention dropped, whitespace collapsed.</summary>
    private static string Clean(string? text)
    {
        var decoded = SlackMarkup.Unescape(text is { Length: > MaxLength } ? text[..MaxLength] : text ?? "");
        var withoutMention = LeadingMention().Replace(decoded, "");
        return Whitespace().Replace(withoutMention, " ").Trim();
    }

    private static long? ReadReference(QuestionReading reading)
    {
        var match = reading.Take(Reference());
        var digits = match.Success ? NotDigit().Replace(match.Groups[1].Value, "") : "";
        return IncidentReference.TryParse(digits, out var number) ? number : null;
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

    [GeneratedRegex(@"\D")]
    private static partial Regex NotDigit();

    [GeneratedRegex(@"(?<![\w-])((?:inc(?:ident)?[- ]?(?:#|no\.?\s?|number\s)?|#)\d{1,12})\b")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\b(incidents|outages|issues|ones|all of them)\b")]
    private static partial Regex Plural();

    [GeneratedRegex(@"\b(incident|outage|this|it)\b")]
    private static partial Regex Singular();

    /// <summary>What "the most incidents" are counted by, when the question says: "which service", "which severity".</summary>
    [GeneratedRegex(@"\bservices?\b|\bsystems?\b|\bcomponents?\b|\b(?<severity>severit(?:y|ies))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Dimension();

    /// <summary>"which service has the most incidents": by service; "which severity …": by severity; null when the question does not say.</summary>
    private static string? DimensionOf(string text) => Dimension().Match(text) switch
    {
        { Success: false } => null,
        { Groups: var groups } when groups["severity"].Success => "severity",
        _ => "service",
    };

    [GeneratedRegex(@"\b(declared|opened|raised|filed|created|started|reported|logged|kicked\s+off)\b")]
    private static partial Regex DeclaredWord();

    /// <summary>"per week", "by service", "weekly": the step of a trend or the dimension of a breakdown.</summary>
    [GeneratedRegex(@"\b(?:per|by|each|every|a|an)\s+(?<per>day|week|month|service|severity)\b|\b(?<per>day|week|month)ly\b|\b(?<per>dai)ly\b|\b(?:for\s+)?each\s+(?<per>service|severity)\b")]
    private static partial Regex Step();

    [GeneratedRegex(@"\b(?:which|what)\s+(?:services?|systems?|components?)\s+(?:has|have|had|gets?|got|sees?|saw|is|was|are|were)\s+(?:the\s+)?(?:most|more)\b|\b(?:top|noisiest|worst|most\s+(?:affected|impacted|hit|incident[- ]prone))\s+(?:\d+\s+)?(?:services?|systems?)\b|\bservices?\s+with\s+the\s+most\b|\b(?:the\s+)?most\s+incidents\b|\bbreak\s?down\b")]
    private static partial Regex Breakdown();

    [GeneratedRegex(@"\b(?:going|trending)\s+(?:up|down)\b|\b(?:increasing|decreasing|rising|falling|growing|dropping|declining)\b|\btrends?\b|\bmore\s+(?:often|frequent(?:ly)?)\b|\bless\s+(?:often|frequent(?:ly)?)\b|\bgetting\s+(?:worse|better)\b|\bon\s+the\s+rise\b|\bover\s+time\b|\bhow\s+often\b|\bfrequency\b|\bincident\s+rate\b")]
    private static partial Regex Trend();

    [GeneratedRegex(@"\bpost[- ]?mortems?(?:\s+drafts?)?\b|\bincident review\b|\bretrospective\b")]
    private static partial Regex Postmortem();

    [GeneratedRegex(@"\bmttd\b|\b(?:mean|average|avg|median)?\s*time\s+to\s+(?:detect|detection|discover|discovery|notice)\b|\bhow\s+(?:long|quickly|fast|soon)\s+(?:did|does|do|was|were|is)?\s*(?:it|we|they)?\s*(?:take\s+(?:us\s+|them\s+)?to\s+|to\s+)?(?:detect|notice|discover|spot)(?:ed)?\b")]
    private static partial Regex Mttd();

    [GeneratedRegex(@"\bmttr\b|\b(?:mean|average|avg|median|typical)\s+(?:time\s+to\s+(?:resolve|resolution|recover|recovery|repair|restore|fix|close)|resolution\s+time|ttr)\b|\bhow\s+long\b(?=.*\b(?:on\s+average|usually|typically|normally)\b)")]
    private static partial Regex Mttr();

    [GeneratedRegex(@"\broot[- ]?causes?\b|\bwhat caused\b|\bcaused? of\b|\bwhy did\b.*\b(happen|fail|break|go down)\b|\bwhy\b.*\b(happen|happened|fail|failed|break|broke|go down|went down)\b|\brca\b|\bwhat went wrong\b")]
    private static partial Regex RootCause();

    [GeneratedRegex(@"\bremediat\w*|\bmitigation (steps|actions)\b|\bactions? (did|were|was|have been|has been)\b|\bwhat (did|have|has) (the )?(responders?|team|we|they|people|engineers|on-?call)\b.*\b(do|done|take|taken|try|tried)\b|\bhow (was|were|did) (it|this|that|they|we|the incident|inc\S*|incident\S*)?\s*.*\b(fix|fixed|mitigated?|resolved?)\b|\bwhat was done\b|\bsteps (taken|were taken)\b|\bwhat fixed\b")]
    private static partial Regex Remediation();

    [GeneratedRegex(@"\bwhat\s+(did|have|'ve)\s+i\s+miss(ed)?\b|\bwhat i('ve| have)? missed\b|\bsince i (left|was (away|gone|out|here)|last (looked|checked|wrote))\b|\bcatch[- ]?up\b")]
    private static partial Regex Missed();

    [GeneratedRegex(@"\bwhat('s|s| has| have| is)?\s+(changed|new|been happening|happened)\b|\b(anything|something)\s+(new|changed)\b|\b(any|latest|recent)\s+(changes|updates|news)\b|\bwhat\s+(are\s+)?(the\s+)?(changes|updates)\b|\b(changes|updates)\s+(since|in|over)\b")]
    private static partial Regex ChangedSince();

    [GeneratedRegex(@"\bsummar(y|ise|ize|ies)\b|\brecap\b|\bcatch me up\b|\btl;?dr\b|\bwhat('s| is) (going on|happening)\b|\bwhere are we\b")]
    private static partial Regex Summary();

    [GeneratedRegex(@"\b(incident\s+)?commanders?\b|\bwho('s|s| is| was)?\s+(the\s+)?(ic|lead|leading|in charge|running|handling|driving|on point|owning|responsible|commanding|coordinating|managing)\b|\bwho\s+(leads|runs|owns|commands|handles|drives|led|ran|owned|commanded|handled|coordinates|manages)\b|\bincident\s+(lead|owner|manager)\b|\bthe ic\b|\bic\b")]
    private static partial Regex Commander();

    [GeneratedRegex(@"^\W*(?:and\s+|so\s+|hey\s+)?who\b(?!\s*(?:'s|s|is|are|was|were|will|would|should|can)\b)")]
    private static partial Regex WhoDid();

    [GeneratedRegex(@"\b(customer\s+)?impact\b(?!\w)|\bwho\s+(is|was|are|were)\s+(affected|impacted)\b|\bhow\s+many\s+(customers|users|people|merchants|requests|orders)\b|\bblast radius\b|\b(customers?|users?)\s+(affected|impacted)\b|\baffected\s+(customers|users)\b|\bhow\s+bad\s+is\s+the\s+impact\b")]
    private static partial Regex ImpactAsked();

    [GeneratedRegex(@"\b(which|what)\s+(services?|systems?|components?)\b|\bservices?\s+(are|were|is|was)?\s*(affected|impacted|involved|hit)\b|\bservices\s+(of|for|in|on)\b|\baffected\s+services\b")]
    private static partial Regex ServicesAsked();

    [GeneratedRegex(@"\bhow\s+long\b|\bduration\b|\btime\s+to\s+(resolve|resolution|fix|mitigate|recover)\b|\bttr\b|\bwhen\s+(was|did|were|is)\b")]
    private static partial Regex DurationAsked();

    [GeneratedRegex(@"\b(what('s|s| is| was)?|which)\s+(the\s+)?(severity|sev|priority|level)\b|\b(severity|priority)\s+(of|for|is)\b|\bhow\s+(bad|severe|serious)\b|^\W*(severity|sev|priority)\b")]
    private static partial Regex SeverityAsked();

    [GeneratedRegex(@"\bstatus\b|\bstate\b|\bwhere\s+(do\s+we\s+stand|does\s+it\s+stand|is\s+it\s+at)\b")]
    private static partial Regex StatusAsked();

    [GeneratedRegex(@"\bhow many\b|\bnumber of\b|^\W*count\b|\bcount (of|the|all)\b|\btotal (number )?of\b")]
    private static partial Regex Count();

    [GeneratedRegex(@"\brelated\b|\bsimilar\b|\blike this (one|incident)\b|\bhappened before\b|\bseen (this|that|it) before\b")]
    private static partial Regex Related();

    [GeneratedRegex(@"\b(related to|similar to|about|involving|regarding|concerning|mentioning|matching|with)\s+(?<subject>.+)$")]
    private static partial Regex RelatedSubject();

    [GeneratedRegex(@"(\s+(from|in|during|over|within|for|of|since|that|which|the))+\s*[?.!]*\s*$")]
    private static partial Regex TrailingJoiners();

    [GeneratedRegex(@"\b(is|are) (there|this|we|you)( having| seeing| aware of)? (an? |any )?(known |ongoing |open |active |current )?(incidents?|outages?|issues?|problems?)( (going on|ongoing|open|right now|now|at the moment|for (this|that|it)))?\b\s*[?.!]*|\bknown (issue|incident|outage)s?\b\s*[?.!]*")]
    private static partial Regex Symptom();

    [GeneratedRegex(@"\b(show|list|find|give|which|what|were there|was there|are there|any|all|display)\b")]
    private static partial Regex List();
}
