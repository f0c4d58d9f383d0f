using System.Text.RegularExpressions;

namespace IncidentBot.Assistant;

/// <summary>What a question asks of a person: the incidents they commanded or declared, or what they did.</summary>
public enum PersonRole
{
    /// <summary>"incidents commanded by alice", "how many incidents did <@U0BOB> lead?".</summary>
    Commander,

    /// <summary>"incidents declared by alice", "how many incidents has bob opened?".</summary>
    Declarer,

    /// <summary>"incidents <@U0ALICE> was involved in": declared or commanded.</summary>
    Involved,

    /// <summary>"what did bob do in INC-4?": their own entries in the timeline.</summary>
    Activity,
}

/// <summary>
/// A person a question names, by Slack mention (<see cref="UserId"/>) or by a name (<see cref="Name"/>) to be looked
/// up among the people incidents have; <see cref="Words"/> are the words as asked, to say back when the name is unknown.
/// </summary>
public sealed record QuestionPerson(string? UserId, string? Name, PersonRole Role, IReadOnlyList<string> Words);

/// <summary>
/// Reads the person a question is about, with the part they played: only next to words that say it ("commanded by",
/// "did … lead", "declared by", "what did … do"), so a name is never guessed from a word standing alone.
/// </summary>
internal static partial class QuestionPeople
{
    /// <summary>Words that stand where a person does but are none: "who commanded", "did we handle".</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "who", "whom", "whoever", "someone", "somebody", "anyone", "anybody", "everyone", "nobody", "people", "responders",
        "engineers", "oncall", "sre", "sres", "team", "commander", "ic", "incident", "incidents", "this", "that", "it", "they",
        "who's", "whos", "what's", "whats", "he", "she", "them", "you", "i", "we", "us",
    };

    public static QuestionPerson? Read(QuestionReading reading)
    {
        foreach (var (pattern, role) in Patterns)
        {
            var match = pattern().Match(reading.Text);
            if (!match.Success)
            {
                continue;
            }

            var person = match.Groups["person"].Value;
            if (person.StartsWith("<@", StringComparison.Ordinal) is false
                && (QuestionReading.IsScaffolding(person) || NotNames.Contains(person)))
            {
                continue;
            }

            reading.Take(pattern());
            var words = new[] { match.Groups["verb"].Value, person }.Where(w => w.Length > 0).Select(Spoken).ToList();
            return Mention().Match(person) is { Success: true } mention
                ? new QuestionPerson(mention.Groups["user"].Value.ToUpperInvariant(), null, role, words)
                : new QuestionPerson(null, person, role, words);
        }

        return null;
    }

    /// <summary>A mention is said back as the id it holds.</summary>
    private static string Spoken(string word) => Mention().Match(word) is { Success: true } m ? m.Groups["user"].Value.ToUpperInvariant() : word;

    private const string Person = @"(?<person><@[uw][a-z0-9]+(?:\|[^<>]*)?>|[a-z][a-z'.-]{1,30})";
    private const string Leads = @"command|commanded|commands|commanding|lead|leads|led|leading|run|runs|ran|running|handle|handled|handles|handling|manage|managed|manages|own|owned|owns|coordinate|coordinated|ic'?d";
    private const string Opens = @"declare|declared|declares|open|opened|opens|raise|raised|raises|file|filed|files|report|reported|reports|start|started|starts|create|created";

    private static readonly (Func<Regex> Pattern, PersonRole Role)[] Patterns =
    [
        (DidWhat, PersonRole.Activity),
        (LedBy, PersonRole.Commander),
        (PersonLed, PersonRole.Commander),
        (PersonWasCommander, PersonRole.Commander),
        (DeclaredBy, PersonRole.Declarer),
        (PersonDeclared, PersonRole.Declarer),
        (Involving, PersonRole.Involved),
    ];

    [GeneratedRegex(@"\bwhat\s+(?:did|has|have|had|was|is)\s+" + Person + @"\s+(?<verb>do|done|doing|say|said|post|posted|write|written|wrote|work\s+on|worked\s+on|been\s+doing|been\s+up\s+to|contribute|contributed)\b")]
    private static partial Regex DidWhat();

    [GeneratedRegex(@"\b(?<verb>" + Leads + @")\s+by\s+" + Person)]
    private static partial Regex LedBy();

    [GeneratedRegex(@"\b(?:did|has|have|had|does|do|was|is)?\s*" + Person + @"\s+(?:has\s+|have\s+|had\s+|did\s+|was\s+|been\s+)?(?<verb>" + Leads + @")\b")]
    private static partial Regex PersonLed();

    [GeneratedRegex(@"\b(?:was|is|were|has\s+been|been)\s+" + Person + @"\s+(?:the\s+)?(?<verb>commander|ic|incident\s+commander|lead)\b|\b(?:with|where)\s+" + Person + @"\s+(?:as|was|is)\s+(?:the\s+)?(?<verb>commander|ic|incident\s+commander|lead)\b")]
    private static partial Regex PersonWasCommander();

    [GeneratedRegex(@"\b(?<verb>" + Opens + @")\s+by\s+" + Person)]
    private static partial Regex DeclaredBy();

    [GeneratedRegex(@"\b(?:did|has|have|had)\s+" + Person + @"\s+(?<verb>" + Opens + @")\b")]
    private static partial Regex PersonDeclared();

    [GeneratedRegex(@"\b(?<verb>involving|with|of|for)\s+(?<person><@[uw][a-z0-9]+(?:\|[^<>]*)?>)|(?<person><@[uw][a-z0-9]+(?:\|[^<>]*)?>)(?<verb>'s|\s+(?:was|is|were|has\s+been)\s+(?:involved|part\s+of)(?:\s+in)?)")]
    private static partial Regex Involving();

    [GeneratedRegex(@"^<@(?<user>[uw][a-z0-9]+)(?:\|[^<>]*)?>$")]
    private static partial Regex Mention();
}
