using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IncidentBot.Slack.Models;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// Reads the text after <c>/incident</c>. Slack sends it with should_escape=true, so people arrive as
/// <c>&lt;@U123|alice&gt;</c>, channels as <c>&lt;#C123|name&gt;</c> and links as <c>&lt;https://x|label&gt;</c>,
/// with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped as HTML entities. Pure: no I/O, never throws.
/// </summary>
/// <remarks>
/// An incident-scoped subcommand takes an optional reference as its first argument, written with a prefix
/// (<c>INC-42</c>, <c>inc-42</c>, <c>incident-42</c>, <c>#42</c>, optionally followed by ':' or ','). A bare
/// number is a reference only for <c>show</c>: elsewhere it is an argument (<c>severity 1</c>).
/// Free text (update, action, impact, resolution summary, related query) keeps its Slack markup; names that
/// leave Slack (title, services, link target) are decoded to plain text.
/// </remarks>
public static partial class IncidentCommandParser
{
    /// <summary>Every subcommand in the order <c>/incident help</c> lists them.</summary>
    private static readonly Subcommand[] Subcommands =
    [
        new("declare", "[title] [sevN] [services: a, b]", "declare a new incident (no title: a form opens)",
            "/incident declare Checkout failing sev2 services: checkout, payments", ReadDeclare),
        new("status", "<status>", $"set the status: {IncidentStatusText.Accepted}", "/incident status mitigated", ReadStatus),
        new("stable", "", "mark the incident stable (mitigated)", "/incident stable",
            (args, self) => ReadReferenceOnly(args, self, reference => new StableCommand(reference))),
        new("resolve", "[summary]", "mark the incident resolved, with an optional resolution summary",
            "/incident resolve rolled back v2.3.1", ReadResolve),
        new("reopen", "", "make a resolved incident active again", "/incident reopen",
            (args, self) => ReadReferenceOnly(args, self, reference => new ReopenCommand(reference))),
        new("severity", "<SEV-1…SEV-5>", "change the severity (SEV-1 critical … SEV-5 minor)", "/incident severity sev2", ReadSeverity),
        new("commander", "<@person>", "make someone the incident commander", "/incident commander @alice", ReadCommander),
        new("update", "<text>", "post a status update to the timeline", "/incident update Failover to us-east-2 in progress",
            (args, self) => ReadText(args, self, (reference, text) => new UpdateCommand(reference, text))),
        new("action", "<text>", "record an action taken", "/incident action Restarted the payment workers",
            (args, self) => ReadText(args, self, (reference, text) => new ActionCommand(reference, text))),
        new("impact", "<text>", "describe the customer impact", "/incident impact 20% of checkouts fail in EU",
            (args, self) => ReadText(args, self, (reference, text) => new ImpactCommand(reference, text))),
        new("impact-start", "<time>", $"say when customers started to feel it: {TimeText.MomentForms}",
            "/incident impact-start 14:32", ReadImpactStart),
        new("services", "add <service, …>", "add affected services", "/incident services add checkout, payments", ReadServices),
        new("link", "<alert|error|trace|deploy> <id or URL>", "link an alert, error group, trace or deploy",
            "/incident link deploy https://deploys.example.com/1234", ReadLink),
        new("show", "[INC-n]", "show the incident card", "/incident show INC-42", ReadShow),
        new("list", "[open|all] [sevN]", "list open (or all) incidents, optionally of one severity", "/incident list all sev1", ReadList),
        new("summary", "", "summarise the incident so far", "/incident summary",
            (args, self) => ReadReferenceOnly(args, self, reference => new SummaryCommand(reference))),
        new("catchup", "[since <time>]", "what changed since you last wrote here (or since a time), only you see it",
            "/incident catchup since 30m", ReadCatchup),
        new("related", "[text] [past <n> <unit>]", "find related incidents", "/incident related DDOS attacks past 1 month", ReadRelated),
        new("postmortem", "", "draft the postmortem of a resolved incident", "/incident postmortem",
            (args, self) => ReadReferenceOnly(args, self, reference => new PostmortemCommand(reference))),
        new("stats", "[past <n> <unit>]", "MTTR and incident counts", "/incident stats past 30 days", ReadStats),
        new("help", "", "show this list", "/incident help", (_, _) => new HelpCommand()),
    ];

    private static readonly string UnknownUsage =
        $"Usage: /incident <{string.Join('|', Subcommands.Select(s => s.Name))}> — e.g. /incident help";

    private static readonly char[] TitleEdges = [' ', ':', '-', '–', '—', ',', ';'];
    private static readonly char[] SummarySeparators = [':', '-', '–', '—'];

    /// <summary>The example of every subcommand, as its usage line shows it.</summary>
    internal static IReadOnlyList<string> Examples { get; } = [.. Subcommands.Select(s => s.Example)];

    /// <summary>What <c>/incident help</c> answers: every subcommand with a one-line description (Slack mrkdwn).</summary>
    public static string Usage { get; } = BuildUsage();

    public static IncidentCommand Parse(string? text)
    {
        var (name, args) = SplitWord(text ?? "");
        if (name.Length == 0)
        {
            return new HelpCommand();
        }

        // "resolve: rolled back" puts the separator on the subcommand's name.
        name = name.TrimEnd(':');
        var subcommand = Array.Find(Subcommands, s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return subcommand is null
            ? new InvalidCommand($"'{Shorten(name)}' is not an /incident subcommand.{DidYouMean(name)}", UnknownUsage)
            : subcommand.Read(args, subcommand);
    }

    private static string DidYouMean(string name) =>
        Spelling.Closest(name, Subcommands.Select(s => s.Name)) is { } meant ? $" Did you mean {meant}?" : "";

    private static IncidentCommand ReadDeclare(string args, Subcommand self)
    {
        var severities = DeclaredSeverity().Matches(args);
        if (severities.Count > 1)
        {
            return self.Invalid($"Give one severity; found {string.Join(", ", severities.Select(m => m.Value))}.");
        }

        Severity? severity = null;
        if (severities.Count == 1)
        {
            var match = severities[0];
            if (!SeverityText.TryParse(match.Value, out var parsed) || parsed == Severity.Unknown)
            {
                return self.Invalid($"'{match.Value}' is not a severity; use SEV-1 (critical) … SEV-5 (minor).");
            }

            severity = parsed;
            args = string.Concat(args.AsSpan(0, match.Index), " ", args.AsSpan(match.Index + match.Length));
        }

        IReadOnlyList<string> services = [];
        var label = ServicesLabel().Match(args);
        if (label.Success)
        {
            services = SplitList(args[(label.Index + label.Length)..]);
            if (services.Count == 0)
            {
                return self.Invalid("Name at least one service after 'services:'.");
            }

            args = args[..label.Index];
        }

        var title = Whitespace().Replace(SlackMarkup.Unescape(args), " ").Trim(TitleEdges);
        return new DeclareCommand(title, severity, services);
    }

    private static IncidentCommand ReadStatus(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        if (args.Length == 0)
        {
            return self.Invalid($"Say which status: {IncidentStatusText.Accepted}.");
        }

        return IncidentStatusText.TryParse(args, out var status)
            ? new StatusCommand(reference, status)
            : self.Invalid($"'{Shorten(args)}' is not a status; use {IncidentStatusText.Accepted}.");
    }

    private static IncidentCommand ReadResolve(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        var summary = args.TrimStart(SummarySeparators).Trim();
        return new ResolveCommand(reference, summary.Length == 0 ? null : summary);
    }

    private static IncidentCommand ReadSeverity(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        if (args.Length == 0)
        {
            return self.Invalid("Say which severity: SEV-1 (critical) … SEV-5 (minor).");
        }

        return SeverityText.TryParse(args, out var severity)
            ? new SeverityCommand(reference, severity)
            : self.Invalid($"'{Shorten(args)}' is not a severity; use {SeverityText.Accepted}.");
    }

    private static IncidentCommand ReadCommander(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        if (SlackUserId.TryParseMention(args, out var commander))
        {
            return new CommanderCommand(reference, commander.Value);
        }

        if (args.Length == 0)
        {
            return self.Invalid("Say who: mention the new commander.");
        }

        if (SlackMarkup.UserMentions(args).Count > 1)
        {
            return self.Invalid("Name one commander.");
        }

        return args.StartsWith('@')
            ? self.Invalid($"'{Shorten(args)}' reached me as plain text: pick the person from Slack's @ list so the mention carries their user id.")
            : self.Invalid($"'{Shorten(args)}' is not a person: mention the new commander with @.");
    }

    private static IncidentCommand ReadText(string args, Subcommand self, Func<long?, string, IncidentCommand> create)
    {
        var reference = TakeReference(ref args);
        return args.Length == 0
            ? self.Invalid($"Write the text after '/incident {self.Name}'.")
            : create(reference, args);
    }

    private static IncidentCommand ReadReferenceOnly(string args, Subcommand self, Func<long?, IncidentCommand> create)
    {
        var reference = TakeReference(ref args);
        return args.Length == 0
            ? create(reference)
            : self.Invalid($"'/incident {self.Name}' takes nothing but an optional incident reference such as INC-42; got '{Shorten(args)}'.");
    }

    private static IncidentCommand ReadImpactStart(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        if (args.Length == 0)
        {
            return self.Invalid("Say when the impact started, e.g. 14:32 (UTC) or 20 min ago.");
        }

        return TimeText.TryParseMoment(args, out var when)
            ? new ImpactStartCommand(reference, when)
            : self.Invalid($"'{Shorten(args)}' is not a time; write {TimeText.MomentForms}.");
    }

    private static IncidentCommand ReadCatchup(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        var (word, rest) = SplitWord(args);
        if (args.Length == 0)
        {
            return new CatchupCommand(reference, null);
        }

        if (!word.Equals("since", StringComparison.OrdinalIgnoreCase) || rest.Length == 0)
        {
            return self.Invalid($"'/incident catchup' takes nothing, or 'since' and a time ({TimeText.MomentForms}); got '{Shorten(args)}'.");
        }

        return TimeText.TryParseMoment(rest, out var since)
            ? new CatchupCommand(reference, since)
            : self.Invalid($"'{Shorten(rest)}' is not a time; write {TimeText.MomentForms}.");
    }

    private static IncidentCommand ReadServices(string args, Subcommand self)
    {
        var (verb, rest) = SplitWord(args);
        if (!verb.Equals("add", StringComparison.OrdinalIgnoreCase))
        {
            return self.Invalid(verb.Length == 0 ? "Say which services to add." : $"'/incident services {Shorten(verb)}' is not supported; use 'services add'.");
        }

        var reference = TakeReference(ref rest);
        var services = SplitList(rest);
        return services.Count == 0
            ? self.Invalid("Name at least one service, separated by commas.")
            : new AddServicesCommand(reference, services);
    }

    private static IncidentCommand ReadLink(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        var (typeName, target) = SplitWord(args);
        if (typeName.Length == 0)
        {
            return self.Invalid($"Say what to link: {LinkTypeText.Accepted}, then its id or URL.");
        }

        if (!LinkTypeText.TryParse(typeName, out var type))
        {
            return self.Invalid($"'{Shorten(typeName)}' is not a link type; use {LinkTypeText.Accepted}.");
        }

        if (SlackMarkup.Parse(target) is [SlackLink { Index: 0 } link] && link.Markup.Length == target.Length)
        {
            target = link.Url;
        }
        else if (target.Length == 0 || target.Contains('<') || target.Any(char.IsWhiteSpace))
        {
            return self.Invalid($"Give one id or URL after '{type.ToLabel()}'.");
        }

        return new LinkCommand(reference, type, SlackMarkup.Unescape(target));
    }

    private static IncidentCommand ReadShow(string args, Subcommand self)
    {
        if (args.Length == 0)
        {
            return new ShowCommand(null);
        }

        return IncidentReference.TryParse(args.TrimEnd(':', ','), out var number)
            ? new ShowCommand(number)
            : self.Invalid($"'{Shorten(args)}' is not an incident reference; use {IncidentReference.Accepted}.");
    }

    private static IncidentCommand ReadList(string args, Subcommand self)
    {
        var scope = IncidentListScope.Open;
        var (word, rest) = SplitWord(args);
        if (word.Equals("open", StringComparison.OrdinalIgnoreCase) || word.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            scope = word.Equals("all", StringComparison.OrdinalIgnoreCase) ? IncidentListScope.All : IncidentListScope.Open;
            args = rest;
        }

        if (args.Length == 0)
        {
            return new ListCommand(scope, null);
        }

        return SeverityText.TryParse(args, out var severity)
            ? new ListCommand(scope, severity)
            : self.Invalid($"'{Shorten(args)}' is neither open/all nor a severity.");
    }

    private static IncidentCommand ReadRelated(string args, Subcommand self)
    {
        var reference = TakeReference(ref args);
        var window = Window().Match(args);
        TimeSpan? span = null;
        if (window.Success)
        {
            if (ToTimeSpan(window) is not { } parsed)
            {
                return self.Invalid("The time window must be at least 1 (e.g. past 2 hours).");
            }

            span = parsed;
            args = args[..window.Index].Trim();
        }

        return new RelatedCommand(reference, args.Length == 0 ? null : args, span);
    }

    private static IncidentCommand ReadStats(string args, Subcommand self)
    {
        if (args.Length == 0)
        {
            return new StatsCommand(null);
        }

        var window = Window().Match(args);
        if (!window.Success || window.Index != 0)
        {
            return self.Invalid($"'{Shorten(args)}' is not a time window; write e.g. past 7 days.");
        }

        return ToTimeSpan(window) is { } span
            ? new StatsCommand(span)
            : self.Invalid("The time window must be at least 1 (e.g. past 7 days).");
    }

    /// <summary>Takes a prefixed reference (<c>INC-42</c>, <c>#42</c>, …) off the front of <paramref name="args"/>.</summary>
    private static long? TakeReference(ref string args)
    {
        var (word, rest) = SplitWord(args);
        var candidate = word.TrimEnd(':', ',');
        if (candidate.Length == 0 || char.IsAsciiDigit(candidate[0]) || !IncidentReference.TryParse(candidate, out var number))
        {
            return null;
        }

        args = rest;
        return number;
    }

    /// <summary>"Month" is 30 days; null for a window of 0.</summary>
    private static TimeSpan? ToTimeSpan(Match window)
    {
        var count = window.Groups["count"].Success ? int.Parse(window.Groups["count"].ValueSpan, provider: null) : 1;
        if (count == 0)
        {
            return null;
        }

        return char.ToLowerInvariant(window.Groups["unit"].Value[0]) switch
        {
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7 * count),
            'm' when window.Groups["unit"].Value.StartsWith("mo", StringComparison.OrdinalIgnoreCase) => TimeSpan.FromDays(30 * count),
            _ => TimeSpan.FromMinutes(count),
        };
    }

    /// <summary>The first whitespace-separated word and the rest, trimmed; the rest keeps its inner line breaks.</summary>
    private static (string Word, string Remainder) SplitWord(string text)
    {
        var trimmed = text.Trim();
        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end]))
        {
            end++;
        }

        return (trimmed[..end], trimmed[end..].TrimStart());
    }

    private static IReadOnlyList<string> SplitList(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => SlackMarkup.Unescape(Whitespace().Replace(item, " ")))];

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string BuildUsage()
    {
        var usage = new StringBuilder()
            .AppendLine("*/incident* — in an incident channel a command acts on its incident; elsewhere name the incident")
            .AppendLine("right after the subcommand, e.g. `/incident resolve INC-42 rolled back v2.3.1`.");
        foreach (var subcommand in Subcommands)
        {
            usage.AppendLine($"• `{subcommand.Syntax}` — {subcommand.Description}");
        }

        return usage.ToString().TrimEnd();
    }

    private sealed record Subcommand(string Name, string Arguments, string Description, string Example, Func<string, Subcommand, IncidentCommand> Read)
    {
        public string Syntax => Arguments.Length == 0 ? $"/incident {Name}" : $"/incident {Name} {Arguments}";

        public InvalidCommand Invalid(string error) => new(error, $"Usage: {Syntax} — e.g. {Example}");
    }

    /// <summary>
    /// Only the sev-forms count in a title: "critical" or "low" stay words of the title. One inside Slack markup
    /// (<c>&lt;https://wiki/sev-1-runbook&gt;</c>) is part of a link, not a severity.
    /// </summary>
    [GeneratedRegex(@"\bsev[\s_-]?\d+\b(?![^<>]*>)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredSeverity();

    [GeneratedRegex(@"\bservices\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ServicesLabel();

    /// <summary><c>[in|from|over|during|within] [the] past|last [n] unit</c> at the end of the text.</summary>
    [GeneratedRegex(
        @"(?:^|\s)(?:(?:in|from|over|during|within)\s+)?(?:the\s+)?(?:past|last)\s+(?:(?<count>\d{1,5})\s*)?(?<unit>minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|w|months?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Window();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();



}
