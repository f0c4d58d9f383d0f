using IncidentBot.SlackApp;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

/// <summary>
/// A private incident through Slack: its channel is private, nothing is announced, and someone who is not a member of
/// its channel learns nothing of it, whether they name it, search its timeline's words, ask for related incidents or
/// count incidents; a member gets the full answer, and joining or leaving the channel changes that at once.
/// </summary>
public sealed class PrivateIncidentsInSlackTests : IAsyncLifetime
{
    private const string Outsider = "U0OUTSIDE";
    private const string Title = "Payroll ledger mismatch";
    private const string TimelineWords = "Found the embezzlement trail in the ledger export";

    private SlackTestBot slack = null!;
    private long secret;
    private string secretChannel = "";
    private int mentions;

    public async Task InitializeAsync()
    {
        slack = await SlackTestBot.StartAsync();
        slack.Slack.AddUser(Outsider, "olga");
        slack.Slack.Join(slack.Ops, Outsider);
        await slack.DeclareAsync("Checkout errors in EU sev2");

        var declared = await SlackTestBot.TextOfAsync(await slack.CommandAsync($"declare --private {Title} sev1"));
        secret = long.Parse(System.Text.RegularExpressions.Regex.Match(declared, @"INC-(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var channel = await slack.ChannelOfAsync(secret);
        secretChannel = channel.Id;
        await slack.EventAsync(new { type = "message", channel = secretChannel, user = SlackTestBot.Responder, text = TimelineWords, ts = "1700000001.000100", channel_type = "group" });
        await slack.DrainAsync(secret, secretChannel);
        await slack.WaitUntilSlackIsToldAsync(secret);
    }

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task ItsChannelIsPrivateWithTheDeclarerAndNothingIsAnnouncedOrSaidWhereItWasDeclared()
    {
        var channel = slack.Slack.Channels[secretChannel];

        Assert.True(channel.IsPrivate);
        Assert.Contains(SlackTestBot.Responder, channel.Members);
        Assert.DoesNotContain(Outsider, channel.Members);
        Assert.Contains(slack.Slack.CallsTo("conversations.create"), c => c.Arg("is_private") == "true");
        Assert.DoesNotContain(slack.Announcements.Messages, m => m.Text?.Contains($"INC-{secret}") == true || m.Text?.Contains("Payroll") == true);
        Assert.DoesNotContain(slack.Slack.Calls, c => c.Arg("channel") == slack.Ops.Id && c.Arg("text")?.Contains("Payroll") == true);
    }

    [Fact]
    public async Task ANonMemberLearnsNothingOfItByReferenceSearchRelatedOrCount()
    {
        foreach (var command in new[] { $"show INC-{secret}", $"summary INC-{secret}", $"update INC-{secret} hello" })
        {
            Assert.Equal($"INC-{secret} does not exist.", await AnswerAsync(command, Outsider));
        }

        Assert.DoesNotContain("Payroll", await AnswerAsync("list", Outsider));
        Assert.Contains("1 incidents", await AnswerAsync("stats", Outsider));
        Assert.DoesNotContain($"INC-{secret}", await AnswerAsync("related INC-1 embezzlement ledger", Outsider));

        Assert.Contains("**1** incident", await MentionAsync("how many incidents this week?", Outsider, slack.Ops.Id));
        var related = await MentionAsync("incidents related to embezzlement", Outsider, slack.Ops.Id);
        Assert.Contains("No incident matches", related);
        Assert.DoesNotContain($"INC-{secret}", await MentionAsync("who found the embezzlement trail?", Outsider, slack.Ops.Id));
        Assert.DoesNotContain("Payroll", await MentionAsync("incidents related to payroll", Outsider, slack.Ops.Id));
    }

    [Fact]
    public async Task AMemberGetsTheFullAnswerWhereOnlyTheyOrTheChannelReadIt()
    {
        Assert.Contains(Title, await AnswerAsync($"summary INC-{secret}", SlackTestBot.Responder));
        Assert.Contains("2 incidents", await AnswerAsync("stats", SlackTestBot.Responder));
        Assert.Contains($"INC-{secret}", await AnswerAsync("related INC-1 embezzlement ledger", SlackTestBot.Responder));
        Assert.Contains("**2** incidents", await MentionAsync("how many incidents this week?", SlackTestBot.Responder, secretChannel));
        Assert.Contains($"INC-{secret}", await MentionAsync("who found the embezzlement trail?", SlackTestBot.Responder, secretChannel));

        // A mention's answer is read by everyone in the channel it is asked in: a member asking in a public one gets
        // what everyone there may see.
        Assert.Contains("**1** incident", await MentionAsync("how many incidents this week?", SlackTestBot.Responder, slack.Ops.Id));
    }

    [Fact]
    public async Task JoiningTheChannelShowsTheIncidentAndLeavingItHidesItAgain()
    {
        Assert.Equal($"INC-{secret} does not exist.", await AnswerAsync($"summary INC-{secret}", Outsider));

        slack.Slack.Join(slack.Slack.Channels[secretChannel], Outsider);
        await slack.EventAsync(new { type = "member_joined_channel", user = Outsider, channel = secretChannel, channel_type = "G" });
        await SlackTestBot.EventuallyAsync(async () => (bool?)(await AnswerAsync($"summary INC-{secret}", Outsider)).Contains(Title));

        slack.Slack.Leave(slack.Slack.Channels[secretChannel], Outsider);
        await slack.EventAsync(new { type = "member_left_channel", user = Outsider, channel = secretChannel, channel_type = "G" });
        await SlackTestBot.EventuallyAsync(async () => (bool?)(await AnswerAsync($"summary INC-{secret}", Outsider) == $"INC-{secret} does not exist."));
    }

    [Fact]
    public async Task AppHomeListsItForAMemberOnly()
    {
        Assert.DoesNotContain("Payroll", await HomeAsync(Outsider));
        Assert.Contains($"INC-{secret}: {Title}", await HomeAsync(SlackTestBot.Responder));
    }

    private async Task<string> HomeAsync(string user)
    {
        await slack.EventAsync(new { type = "app_home_opened", user, channel = "D0HOME", tab = "home" });
        var publish = await slack.Slack.WaitForCallAsync("views.publish", c => c.Arg("user_id") == user);
        return publish.Body.GetProperty("view").GetProperty("blocks").GetRawText();
    }

    private async Task<string> AnswerAsync(string command, string user) =>
        await SlackTestBot.TextOfAsync(await slack.CommandAsync(command, slack.Ops.Id, user));

    /// <summary>Asks in a channel; the answer is posted in the mention's thread.</summary>
    private async Task<string> MentionAsync(string question, string user, string channel)
    {
        var ts = $"1700000200.{Interlocked.Increment(ref mentions):D6}";
        await slack.EventAsync(new { type = "app_mention", channel, user, text = $"<@{slack.Slack.BotUserId}> {question}", ts });
        // A mention runs after Slack's ack, behind whatever the busy test machine has queued before it.
        return (await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("thread_ts") == ts, TimeSpan.FromSeconds(30))).Arg("text")!;
    }
}

/// <summary>The members of a private channel are read from Slack once a while, not for every question.</summary>
public sealed class PrivateChannelMembersCacheTests : IAsyncLifetime
{
    private readonly FakeClock clock = new(DateTimeOffset.UtcNow);
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync(clock: clock);

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task TheMembersAreReadAgainOnlyAfterTheCacheTime()
    {
        var number = await slack.DeclareAsync("--private Payroll ledger mismatch");
        var channel = await slack.ChannelOfAsync(number);
        int MemberReads() => slack.Slack.CallsTo("conversations.members").Count(c => c.Arg("channel") == channel.Id);

        await slack.CommandAsync("stats");
        await slack.CommandAsync("stats");
        Assert.Equal(1, MemberReads());

        clock.Advance(PrivateIncidentMembers.CacheFor + TimeSpan.FromSeconds(1));
        await slack.CommandAsync("stats");
        Assert.Equal(2, MemberReads());
    }
}
