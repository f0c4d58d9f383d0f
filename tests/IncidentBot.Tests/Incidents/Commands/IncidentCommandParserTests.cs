using IncidentBot.Incidents;
using IncidentBot.Incidents.Commands;

namespace IncidentBot.Tests.Incidents.Commands;

public sealed class IncidentCommandParserTests
{
    private static T Parse<T>(string text) where T : IncidentCommand => Assert.IsType<T>(IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("help declare")]
    public void EmptyTextAndHelpAskForHelp(string text) => Parse<HelpCommand>(text);

    [Theory]
    [InlineData("stable")]
    [InlineData("STABLE")]
    [InlineData("Stable")]
    [InlineData("   stable   ")]
    [InlineData("\tstable\n")]
    public void SubcommandNamesIgnoreCaseAndSurroundingWhitespace(string text) =>
        Assert.Null(Parse<StableCommand>(text).Reference);

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("INC-42 resolve")]
    [InlineData("declar outage")]
    public void AnUnknownSubcommandIsInvalidAndListsTheSubcommands(string text)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains(text.Split(' ')[0], invalid.Error);
        Assert.Contains("declare", invalid.Usage);
        Assert.Contains("postmortem", invalid.Usage);
    }

    [Theory]
    [InlineData("stabel", "stable")]
    [InlineData("resovle rolled back", "resolve")]
    [InlineData("Severty sev1", "severity")]
    [InlineData("declar outage", "declare")]
    [InlineData("sumary", "summary")]
    public void AMistypedSubcommandSuggestsTheClosestOne(string text, string meant)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.EndsWith($"is not an /incident subcommand. Did you mean {meant}?", invalid.Error);
        Assert.StartsWith("Usage: /incident <", invalid.Usage);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("xyz")]
    public void AWordLikeNoSubcommandGetsNoSuggestion(string text) =>
        Assert.Equal($"'{text}' is not an /incident subcommand.", Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("Checkout failing", "Checkout failing", null, "")]
    [InlineData("Checkout failing sev2", "Checkout failing", Severity.Sev2, "")]
    [InlineData("sev1 Checkout failing", "Checkout failing", Severity.Sev1, "")]
    [InlineData("Checkout SEV-1 failing", "Checkout failing", Severity.Sev1, "")]
    [InlineData("Checkout failing sev 3", "Checkout failing", Severity.Sev3, "")]
    [InlineData("Checkout failing sev_4", "Checkout failing", Severity.Sev4, "")]
    [InlineData("Payments down - SEV5", "Payments down", Severity.Sev5, "")]
    [InlineData("Critical: low disk on db-1", "Critical: low disk on db-1", null, "")]
    [InlineData("Checkout failing sev2 services: checkout, payments", "Checkout failing", Severity.Sev2, "checkout|payments")]
    [InlineData("Checkout failing SERVICES: checkout ,, payments api ", "Checkout failing", null, "checkout|payments api")]
    [InlineData("Checkout failing services: checkout sev2", "Checkout failing", Severity.Sev2, "checkout")]
    [InlineData("  Checkout    failing  ", "Checkout failing", null, "")]
    [InlineData("Search &amp; browse &lt;slow&gt;", "Search & browse <slow>", null, "")]
    [InlineData("See <https://wiki.example.com/sev-1-runbook|sev 1 runbook> sev2", "See <https://wiki.example.com/sev-1-runbook|sev 1 runbook>", Severity.Sev2, "")]
    [InlineData("", "", null, "")]
    [InlineData("sev2", "", Severity.Sev2, "")]
    [InlineData("sev2 services: search", "", Severity.Sev2, "search")]
    public void DeclareTakesTheSevFormAndServicesAndKeepsTheRestAsTitle(string args, string title, Severity? severity, string services)
    {
        var declare = Parse<DeclareCommand>("declare " + args);

        Assert.Equal(title, declare.Title);
        Assert.Equal(severity, declare.Severity);
        Assert.Equal(services.Split('|', StringSplitOptions.RemoveEmptyEntries), declare.Services);
    }

    [Theory]
    [InlineData("declare db down sev1 sev2", "one severity")]
    [InlineData("declare sev1 db down SEV-1", "one severity")]
    [InlineData("declare db down sev0", "not a severity")]
    [InlineData("declare db down SEV-6", "not a severity")]
    [InlineData("declare db down services:", "at least one service")]
    [InlineData("declare db down services: , ,", "at least one service")]
    public void MalformedDeclarationsAreInvalid(string text, string error)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains(error, invalid.Error);
        Assert.StartsWith("Usage: /incident declare [title] [sevN] [services: a, b] — e.g. /incident declare", invalid.Usage);
    }

    [Theory]
    [InlineData("resolve INC-42 rolled back v2.3.1", 42L)]
    [InlineData("severity #42 sev1", 42L)]
    [InlineData("stable INC-7", 7L)]
    [InlineData("stable inc-7", 7L)]
    [InlineData("stable incident-7", 7L)]
    [InlineData("stable #7", 7L)]
    [InlineData("stable", null)]
    [InlineData("status INC-3 mitigated", 3L)]
    [InlineData("reopen INC-3", 3L)]
    [InlineData("commander INC-3 <@U123>", 3L)]
    [InlineData("update INC-42: deploying the fix", 42L)]
    [InlineData("action #42 restarted workers", 42L)]
    [InlineData("impact INC-42 EU checkout down", 42L)]
    [InlineData("services add INC-42 checkout", 42L)]
    [InlineData("link INC-42 deploy v2.3.1", 42L)]
    [InlineData("summary INC-42", 42L)]
    [InlineData("postmortem INC-42", 42L)]
    [InlineData("related INC-42", 42L)]
    [InlineData("show INC-42", 42L)]
    [InlineData("update deploying the fix", null)]
    public void AnIncidentScopedCommandTakesAPrefixedReferenceAsItsFirstArgument(string text, long? reference)
    {
        var command = Assert.IsAssignableFrom<IncidentScopedCommand>(IncidentCommandParser.Parse(text));

        Assert.Equal(reference, command.Reference);
    }

    [Fact]
    public void ABareNumberIsAReferenceForShow() => Assert.Equal(42, Parse<ShowCommand>("show 42").Reference);

    [Fact]
    public void ABareNumberAfterSeverityIsTheSeverity() =>
        Assert.Equal(new SeverityCommand(null, Severity.Sev1), IncidentCommandParser.Parse("severity 1"));

    [Fact]
    public void ABareNumberAfterUpdateIsPartOfTheText() =>
        Assert.Equal(new UpdateCommand(null, "42 pods restarted"), IncidentCommandParser.Parse("update 42 pods restarted"));

    [Theory]
    [InlineData("status active", IncidentStatus.Active)]
    [InlineData("status investigating", IncidentStatus.Active)]
    [InlineData("status declared", IncidentStatus.Active)]
    [InlineData("status stable", IncidentStatus.Stable)]
    [InlineData("status Mitigated", IncidentStatus.Stable)]
    [InlineData("status resolved", IncidentStatus.Resolved)]
    [InlineData("status CLOSED", IncidentStatus.Resolved)]
    [InlineData("status fixed", IncidentStatus.Resolved)]
    [InlineData("status completed", IncidentStatus.Completed)]
    public void StatusAcceptsEverySpellingOfTheDomain(string text, IncidentStatus status) =>
        Assert.Equal(new StatusCommand(null, status), IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("status", "Say which status")]
    [InlineData("status INC-4", "Say which status")]
    [InlineData("status sleeping", "'sleeping' is not a status")]
    [InlineData("status stable now", "is not a status")]
    public void StatusWithoutAKnownStatusIsInvalid(string text, string error)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains(error, invalid.Error);
        Assert.Equal("Usage: /incident status <status> — e.g. /incident status mitigated", invalid.Usage);
    }

    [Theory]
    [InlineData("stable", IncidentStatus.Stable)]
    [InlineData("resolve", IncidentStatus.Resolved)]
    [InlineData("reopen", IncidentStatus.Active)]
    [InlineData("status completed", IncidentStatus.Completed)]
    public void EveryStatusShortcutIsAStatusChange(string text, IncidentStatus status) =>
        Assert.Equal(status, Assert.IsAssignableFrom<StatusChangeCommand>(IncidentCommandParser.Parse(text)).Status);

    [Theory]
    [InlineData("resolve", null, null)]
    [InlineData("resolve rolled back v2.3.1", null, "rolled back v2.3.1")]
    [InlineData("resolve: rolled back v2.3.1", null, "rolled back v2.3.1")]
    [InlineData("resolve - fixed by restart", null, "fixed by restart")]
    [InlineData("resolve — fixed by restart", null, "fixed by restart")]
    [InlineData("resolve INC-42 rolled back v2.3.1", 42L, "rolled back v2.3.1")]
    [InlineData("resolve INC-42: rolled back v2.3.1", 42L, "rolled back v2.3.1")]
    [InlineData("resolve INC-42 - rolled back", 42L, "rolled back")]
    [InlineData("resolve INC-42", 42L, null)]
    [InlineData("resolve reverted <https://github.com/o/r/pull/12|PR 12> &amp; paged <@U1|bob>", null,
        "reverted <https://github.com/o/r/pull/12|PR 12> &amp; paged <@U1|bob>")]
    public void ResolveTakesAnOptionalSummaryAfterAnOptionalSeparator(string text, long? reference, string? summary)
    {
        var resolve = Parse<ResolveCommand>(text);

        Assert.Equal(reference, resolve.Reference);
        Assert.Equal(summary, resolve.Summary);
        Assert.Equal(IncidentStatus.Resolved, resolve.Status);
    }

    [Theory]
    [InlineData("stable now please", "stable")]
    [InlineData("reopen it", "reopen")]
    [InlineData("summary of the last hour", "summary")]
    [InlineData("postmortem draft", "postmortem")]
    [InlineData("stable 42", "stable")]
    public void CommandsWithoutArgumentsRejectExtraText(string text, string subcommand)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains("optional incident reference", invalid.Error);
        Assert.Equal($"Usage: /incident {subcommand} — e.g. /incident {subcommand}", invalid.Usage);
    }

    [Theory]
    [InlineData("severity sev2", Severity.Sev2)]
    [InlineData("severity SEV-1", Severity.Sev1)]
    [InlineData("severity sev 3", Severity.Sev3)]
    [InlineData("severity sev_3", Severity.Sev3)]
    [InlineData("severity 4", Severity.Sev4)]
    [InlineData("severity critical", Severity.Sev1)]
    [InlineData("severity major", Severity.Sev2)]
    [InlineData("severity minor", Severity.Sev5)]
    [InlineData("SEVERITY unknown", Severity.Unknown)]
    public void SeverityAcceptsEverySpellingOfTheDomain(string text, Severity severity) =>
        Assert.Equal(new SeverityCommand(null, severity), IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("severity")]
    [InlineData("severity INC-4")]
    [InlineData("severity sev9")]
    [InlineData("severity 42 sev1")]
    [InlineData("severity sev1 please")]
    public void SeverityWithoutAKnownSeverityIsInvalid(string text) =>
        Assert.Equal("Usage: /incident severity <SEV-1…SEV-5> — e.g. /incident severity sev2", Parse<InvalidCommand>(text).Usage);

    [Theory]
    [InlineData("commander <@U123ABC|alice>", "U123ABC")]
    [InlineData("commander <@U123ABC>", "U123ABC")]
    [InlineData("commander <@W0ENTERPRISE|bob>", "W0ENTERPRISE")]
    [InlineData("commander   <@U123ABC>  ", "U123ABC")]
    public void CommanderTakesTheUserIdOfOneMention(string text, string userId) =>
        Assert.Equal(userId, Parse<CommanderCommand>(text).UserId);

    [Theory]
    [InlineData("commander @alice", "plain text")]
    [InlineData("commander", "mention the new commander")]
    [InlineData("commander <@U1> <@U2>", "one commander")]
    [InlineData("commander alice", "not a person")]
    [InlineData("commander <#C123|general>", "not a person")]
    [InlineData("commander <!subteam^S123|@oncall>", "not a person")]
    public void CommanderWithoutExactlyOneUserMentionIsInvalid(string text, string error)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains(error, invalid.Error);
        Assert.StartsWith("Usage: /incident commander <@person>", invalid.Usage);
    }

    [Fact]
    public void APlainAtNameIsEchoedSoThePersonSeesWhatWentWrong() =>
        Assert.Contains("'@alice'", Parse<InvalidCommand>("commander @alice").Error);

    [Theory]
    [InlineData("update Failover to us-east-2 in progress", typeof(UpdateCommand))]
    [InlineData("action Restarted the payment workers", typeof(ActionCommand))]
    [InlineData("impact 20% of checkouts fail in EU", typeof(ImpactCommand))]
    public void TextCommandsTakeTheRestOfTheText(string text, Type type)
    {
        var command = IncidentCommandParser.Parse(text);

        Assert.IsType(type, command);
        Assert.Equal(text[(text.IndexOf(' ') + 1)..], TextOf(command));
    }

    [Theory]
    [InlineData("update paged <@U123|bob> about <https://dash.example.com|the dashboard> &amp; <#C1|ops>",
        "paged <@U123|bob> about <https://dash.example.com|the dashboard> &amp; <#C1|ops>")]
    [InlineData("update first line\nsecond  line", "first line\nsecond  line")]
    [InlineData("update    padded   ", "padded")]
    public void TextCommandsKeepSlackMarkupAndInnerWhitespace(string text, string expected) =>
        Assert.Equal(expected, Parse<UpdateCommand>(text).Text);

    [Theory]
    [InlineData("update")]
    [InlineData("action INC-4")]
    [InlineData("impact    ")]
    public void TextCommandsWithoutTextAreInvalid(string text) =>
        Assert.Contains("Write the text", Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("services add checkout, payments", "checkout|payments")]
    [InlineData("services add checkout", "checkout")]
    [InlineData("Services ADD  a ,b,, c ", "a|b|c")]
    [InlineData("services add payments api, search", "payments api|search")]
    [InlineData("services add A&amp;B", "A&B")]
    public void ServicesAddTakesACommaSeparatedList(string text, string services) =>
        Assert.Equal(services.Split('|'), Parse<AddServicesCommand>(text).Services);

    [Theory]
    [InlineData("services", "Say which services")]
    [InlineData("services remove checkout", "use 'services add'")]
    [InlineData("services add", "at least one service")]
    [InlineData("services add , ,", "at least one service")]
    public void ServicesWithoutAddAndANameAreInvalid(string text, string error)
    {
        var invalid = Parse<InvalidCommand>(text);

        Assert.Contains(error, invalid.Error);
        Assert.StartsWith("Usage: /incident services add <service, …>", invalid.Usage);
    }

    [Theory]
    [InlineData("link deploy <https://deploys.example.com/1234>", LinkType.Deploy, "https://deploys.example.com/1234")]
    [InlineData("link alert <https://pd.example.com/a?x=1&amp;y=2|PagerDuty alert 7>", LinkType.Alert, "https://pd.example.com/a?x=1&y=2")]
    [InlineData("link error-group ERR-123", LinkType.Error, "ERR-123")]
    [InlineData("link TRACE abc123def", LinkType.Trace, "abc123def")]
    [InlineData("link release v2.3.1", LinkType.Deploy, "v2.3.1")]
    [InlineData("link deploy https://plain.example.com/9", LinkType.Deploy, "https://plain.example.com/9")]
    public void LinkTakesATypeAndAnIdOrUnwrappedUrl(string text, LinkType type, string target) =>
        Assert.Equal(new LinkCommand(null, type, target), IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("link", "Say what to link")]
    [InlineData("link pager P123", "'pager' is not a link type")]
    [InlineData("link alert", "Give one id or URL")]
    [InlineData("link alert one two", "Give one id or URL")]
    [InlineData("link alert <#C123|general>", "Give one id or URL")]
    [InlineData("link alert <@U123>", "Give one id or URL")]
    public void LinkWithoutATypeAndOneTargetIsInvalid(string text, string error) =>
        Assert.Contains(error, Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("show", null)]
    [InlineData("show 42", 42L)]
    [InlineData("show INC-42", 42L)]
    [InlineData("show #42", 42L)]
    [InlineData("show incident-42", 42L)]
    public void ShowTakesAnOptionalReference(string text, long? reference) =>
        Assert.Equal(new ShowCommand(reference), IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("show checkout")]
    [InlineData("show 42 43")]
    [InlineData("show INC-0")]
    public void ShowWithSomethingElseIsInvalid(string text) =>
        Assert.Contains("not an incident reference", Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("list", IncidentListScope.Open, null)]
    [InlineData("list open", IncidentListScope.Open, null)]
    [InlineData("list all", IncidentListScope.All, null)]
    [InlineData("list open sev1", IncidentListScope.Open, Severity.Sev1)]
    [InlineData("list ALL SEV-2", IncidentListScope.All, Severity.Sev2)]
    [InlineData("list sev 3", IncidentListScope.Open, Severity.Sev3)]
    [InlineData("list all critical", IncidentListScope.All, Severity.Sev1)]
    public void ListTakesAnOptionalScopeAndSeverity(string text, IncidentListScope scope, Severity? severity) =>
        Assert.Equal(new ListCommand(scope, severity), IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("list closed")]
    [InlineData("list all sev9")]
    [InlineData("list sev1 all")]
    public void ListWithAnythingElseIsInvalid(string text) =>
        Assert.StartsWith("Usage: /incident list [open|all] [sevN]", Parse<InvalidCommand>(text).Usage);

    [Theory]
    [InlineData("related", null, null)]
    [InlineData("related checkout latency", "checkout latency", null)]
    [InlineData("related DDOS attacks past 1 month", "DDOS attacks", 30 * 24.0)]
    [InlineData("related DDOS attacks from the past month", "DDOS attacks", 30 * 24.0)]
    [InlineData("related slow db in the last 3 days", "slow db", 3 * 24.0)]
    [InlineData("related past 2 hours", null, 2.0)]
    [InlineData("related payments past 2h", "payments", 2.0)]
    [InlineData("related the past is a foreign country", "the past is a foreign country", null)]
    public void RelatedTakesOptionalTextAndAnOptionalWindowAtTheEnd(string text, string? query, double? hours)
    {
        var related = Parse<RelatedCommand>(text);

        Assert.Equal(query, related.Query);
        Assert.Equal(hours is { } h ? TimeSpan.FromHours(h) : null, related.Window);
    }

    [Theory]
    [InlineData("past 30 minutes", 0.5)]
    [InlineData("past 1 minute", 1 / 60.0)]
    [InlineData("past 90 mins", 1.5)]
    [InlineData("past 1 hour", 1.0)]
    [InlineData("past 2 hours", 2.0)]
    [InlineData("past 2 h", 2.0)]
    [InlineData("past 2h", 2.0)]
    [InlineData("past 1 day", 24.0)]
    [InlineData("past 3 days", 72.0)]
    [InlineData("past 3d", 72.0)]
    [InlineData("past 1 week", 168.0)]
    [InlineData("past 2 weeks", 336.0)]
    [InlineData("past 2w", 336.0)]
    [InlineData("past 1 month", 720.0)]
    [InlineData("past 2 months", 1440.0)]
    [InlineData("past month", 720.0)]
    [InlineData("last 7 days", 168.0)]
    [InlineData("PAST 7 DAYS", 168.0)]
    public void StatsTakesAWindowOfMinutesHoursDaysWeeksOrThirtyDayMonths(string window, double hours) =>
        Assert.Equal(new StatsCommand(TimeSpan.FromHours(hours)), IncidentCommandParser.Parse("stats " + window));

    [Fact]
    public void StatsWithoutAWindowLeavesItToTheCaller() =>
        Assert.Equal(new StatsCommand(null), IncidentCommandParser.Parse("stats"));

    [Theory]
    [InlineData("stats yesterday")]
    [InlineData("stats past 3 fortnights")]
    [InlineData("stats checkout past 3 days")]
    [InlineData("stats past 123456 days")]
    public void StatsWithAnythingButAWindowIsInvalid(string text) =>
        Assert.Contains("not a time window", Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("stats past 0 days")]
    [InlineData("related checkout past 0 hours")]
    public void AnEmptyWindowIsInvalid(string text) =>
        Assert.Contains("at least 1", Parse<InvalidCommand>(text).Error);

    [Theory]
    [InlineData("declare")]
    [InlineData("status")]
    [InlineData("stable")]
    [InlineData("resolve")]
    [InlineData("reopen")]
    [InlineData("severity")]
    [InlineData("commander")]
    [InlineData("update")]
    [InlineData("action")]
    [InlineData("impact")]
    [InlineData("impact-start")]
    [InlineData("services add")]
    [InlineData("link")]
    [InlineData("show")]
    [InlineData("list")]
    [InlineData("summary")]
    [InlineData("related")]
    [InlineData("postmortem")]
    [InlineData("stats")]
    [InlineData("help")]
    public void UsageListsEverySubcommandOfTheProduct(string subcommand) =>
        Assert.Contains($"• `/incident {subcommand}", IncidentCommandParser.Usage);

    [Fact]
    public void UsageSaysHowToNameTheIncidentOutsideItsChannel() =>
        Assert.Contains("/incident resolve INC-42", IncidentCommandParser.Usage);

    [Fact]
    public void EveryUsageExampleParsesToItsSubcommand()
    {
        Assert.Equal(21, IncidentCommandParser.Examples.Count);
        foreach (var example in IncidentCommandParser.Examples)
        {
            // In Slack, "@alice" picked from the list arrives as a mention.
            var command = IncidentCommandParser.Parse(example["/incident ".Length..].Replace("@alice", "<@U0ALICE|alice>"));
            Assert.False(command is InvalidCommand, $"'{example}' is {command}");
        }
    }

    [Theory]
    [InlineData("<")]
    [InlineData("<@")]
    [InlineData("link alert <")]
    [InlineData("link alert <https://x|")]
    [InlineData("commander <@U1|>")]
    [InlineData("declare services:services:")]
    [InlineData("declare sev99999999999999999999")]
    [InlineData("related past 99999 months")]
    [InlineData("stats past 99999 months")]
    [InlineData("show #99999999999999999999999")]
    [InlineData("resolve ::::")]
    [InlineData("\u00a0stable\u00a0INC-1")]
    public void OddInputNeverThrows(string text) => Assert.NotNull(IncidentCommandParser.Parse(text));

    private static string TextOf(IncidentCommand command) => command switch
    {
        UpdateCommand update => update.Text,
        ActionCommand action => action.Text,
        ImpactCommand impact => impact.Text,
        _ => throw new InvalidOperationException($"{command} has no text"),
    };
}
