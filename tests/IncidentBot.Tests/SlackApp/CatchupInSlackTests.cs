using System.Net.Http.Json;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Slack;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

/// <summary>
/// "Since you last looked" on the fake clock: <c>/incident catchup</c>, the welcome back on return, "what did I miss?"
/// and the REST call. Messages carry Slack timestamps of the fake clock's time, so "after Bob's last message" is exact.
/// </summary>
public sealed partial class CatchupInSlackTests : IAsyncLifetime
{
    private const string Bob = "U0BOB";
    private const string Carol = "U0CAROL";
    private const string Dave = "U0DAVE";

    // A day back, so that Slack's event times (the real clock's) come after everything the test writes.
    private readonly FakeClock clock = new(DateTimeOffset.UtcNow.AddDays(-1));
    private SlackTestBot slack = null!;
    private int messages;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync(clock: clock);

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task CatchingUpShowsOnlyWhatCameAfterThePersonsLastMessageEachLineCited()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "error rate at 40% for EU customers", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, "here, reading the logs", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(8));
        await SayAsync(channel, Carol, "is the payments queue draining?", after: TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(3));
        await slack.CommandAsync("severity sev1", channel, Carol);
        await SayAsync(channel, Carol, "decided to fail over to us-east-2", after: TimeSpan.FromMinutes(1));
        await slack.DrainAsync(number, channel);

        var text = await CatchupAsync("catchup", channel, Bob);

        Assert.Contains($"INC-{number} since your last message", text);
        Assert.DoesNotContain("error rate at 40%", text);
        Assert.Matches(@"\*\*Status and severity\*\*\n- .*SEV-1", text);
        Assert.Matches(@"\*\*Actions\*\*\n- .*rolled back v2\.3\.1", text);
        Assert.Matches(@"\*\*Decisions\*\*\n- .*decided to fail over", text);
        Assert.Matches(@"\*\*Open questions\*\*\n- .*payments queue draining", text);
        Assert.All(SectionBullets(text), line => Assert.Matches(@"\[\[?\d+\]", line));
        Assert.Contains("/archives/", text);
    }

    [Fact]
    public async Task SinceATimeShowsWhatCameAfterIt()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "restarted the cart workers", after: TimeSpan.FromMinutes(5));
        await SayAsync(channel, Carol, "scaled the payments pool to 12", after: TimeSpan.FromMinutes(20));
        clock.Advance(TimeSpan.FromMinutes(20));
        await slack.DrainAsync(number, channel);

        var text = await CatchupAsync("catchup since 30m", channel, Bob);

        Assert.Contains("scaled the payments pool", text);
        Assert.DoesNotContain("restarted the cart workers", text);
        Assert.Contains($"since {Utc(clock.GetUtcNow() - TimeSpan.FromMinutes(30))}", text);
    }

    [Fact]
    public async Task WithNothingNewItSaysSoPlainly()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, "thanks, watching the graphs", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "ok", after: TimeSpan.FromMinutes(1));
        await slack.DrainAsync(number, channel);

        var text = await CatchupAsync("catchup", channel, Bob);

        Assert.Contains("Nothing new since your last message", text);
        Assert.DoesNotContain("rolled back", text);
    }

    [Fact]
    public async Task SomeoneWhoNeverSpokeGetsTheWholeIncidentAndIsToldWhy()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(1));
        await slack.DrainAsync(number, channel);

        var text = await CatchupAsync("catchup", channel, Dave);

        Assert.Contains($"<@{Dave}> has no message, post or change in INC-{number}'s timeline yet, so all of it is new", text);
        Assert.Contains($"Summary of INC-{number}", text);
        Assert.Contains("rolled back v2.3.1", text);
    }

    [Fact]
    public async Task AnUnreadableTimeGetsTheUsageLine()
    {
        var (_, channel) = await DeclareAsync();

        var text = await CatchupAsync("catchup since lunch", channel, Bob);

        Assert.Contains("'lunch' is not a time", text);
        Assert.Contains("/incident catchup", text);
    }

    [Fact]
    public async Task ComingBackAfterAnHourGetsTheCatchUpOnceNotOnEveryMessage()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Bob, "looking at the load balancer", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "failed over to us-east-2", after: TimeSpan.FromMinutes(30));
        await SayAsync(channel, Bob, "back, what's the state?", after: TimeSpan.FromMinutes(40));

        var welcome = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Bob);
        Assert.Equal(channel, welcome.Arg("channel"));
        Assert.Contains($"Welcome back to INC-{number}", welcome.Arg("text"));
        Assert.Contains("failed over to us-east-2", welcome.Arg("text"));
        Assert.DoesNotContain("looking at the load balancer", welcome.Arg("text"));
        Assert.DoesNotContain("what's the state?", welcome.Arg("text"));

        await SayAsync(channel, Bob, "ok, thanks", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, "checking the EU graphs now", after: TimeSpan.FromMinutes(2));
        // Carol is back too; her welcome comes after anything Bob's messages could have queued.
        await SayAsync(channel, Carol, "here again", after: TimeSpan.FromMinutes(20));
        await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Carol);

        Assert.Single(slack.Slack.CallsTo("chat.postEphemeral"), c => c.Arg("user") == Bob);
    }

    [Fact]
    public async Task TheModelWritingTheWelcomeBackIsNotShownTheReturnersOwnMessages()
    {
        await using var model = await FakeOpenAi.StartAsync();
        model.Responder = ListEveryMessageGiven;
        await slack.DisposeAsync();
        slack = await SlackTestBot.StartAsync(clock: clock, extraSettings: new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "openai",
            ["Ai:Endpoint"] = model.Endpoint.ToString(),
            ["Ai:ApiKey"] = model.ApiKey,
            ["Ai:Model"] = "fake-model",
            ["Ai:TimeoutSeconds"] = "5",
        });
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Bob, "looking at the load balancer", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "failed over to us-east-2", after: TimeSpan.FromMinutes(30));
        await SayAsync(channel, Bob, "restarted the load balancer", after: TimeSpan.FromMinutes(40));

        var welcome = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Bob);
        Assert.Contains($"Welcome back to INC-{number}", welcome.Arg("text"));
        Assert.Contains("failed over to us-east-2", welcome.Arg("text"));
        Assert.DoesNotContain("restarted the load balancer", welcome.Arg("text"));
        Assert.DoesNotContain(model.ChatRequests, request => request.UserText.Contains("restarted the load balancer", StringComparison.Ordinal));
        await slack.DrainAsync(number, channel);
    }

    [Fact]
    public async Task AMessageAfterAShortPauseGetsNothing()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Bob, "looking at the load balancer", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "failed over to us-east-2", after: TimeSpan.FromMinutes(20));
        await SayAsync(channel, Bob, "restarted the load balancer", after: TimeSpan.FromMinutes(20));
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(60));
        await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Carol);

        Assert.DoesNotContain(slack.Slack.CallsTo("chat.postEphemeral"), c => c.Arg("user") == Bob);
        Assert.Single(slack.Slack.CallsTo("chat.postEphemeral"), c => c.Arg("user") == Carol);
        await slack.DrainAsync(number, channel);
    }

    [Fact]
    public async Task JoiningAgainAfterLeavingGetsWhatChangedSinceLeaving()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Bob, "checking the cart service", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, $"<@{Bob}> has left the channel", after: TimeSpan.FromMinutes(1), subtype: "channel_leave");
        await SayAsync(channel, Carol, "restarted the cart workers", after: TimeSpan.FromMinutes(5));
        await slack.DrainAsync(number, channel);

        await slack.EventAsync(new { type = "member_joined_channel", user = Bob, channel, channel_type = "C" });

        var welcome = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Bob);
        Assert.Contains($"Welcome back to INC-{number}", welcome.Arg("text"));
        Assert.Contains("restarted the cart workers", welcome.Arg("text"));
        Assert.DoesNotContain("checking the cart service", welcome.Arg("text"));
    }

    [Fact]
    public async Task WhatDidIMissIsAnsweredOnlyToTheAskerFromBeforeTheQuestion()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "error rate at 40% for EU customers", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, "here", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(10));
        var question = $"<@{slack.Slack.BotUserId}> what did I miss?";
        var ts = await SayAsync(channel, Bob, question, after: TimeSpan.FromMinutes(1));

        await slack.EventAsync(new { type = "app_mention", channel, user = Bob, text = question, ts });

        var answer = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Bob);
        Assert.Contains($"INC-{number} since your last message", answer.Arg("text"));
        Assert.Contains("rolled back v2.3.1", answer.Arg("text"));
        Assert.DoesNotContain("error rate at 40%", answer.Arg("text"));
        Assert.DoesNotContain(slack.Slack.CallsTo("chat.postMessage"), c => c.Arg("thread_ts") == ts);
    }

    [Fact]
    public async Task TheRestCallCatchesUpAPersonOrFromATime()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Carol, "error rate at 40% for EU customers", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Bob, "here", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "rolled back v2.3.1", after: TimeSpan.FromMinutes(10));
        await slack.DrainAsync(number, channel);

        var byUser = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync($"/api/incidents/INC-{number}/catchup?user={Bob}"));
        Assert.Equal("lastSeen", byUser.GetProperty("basis").GetString());
        Assert.False(byUser.GetProperty("nothingNew").GetBoolean());
        var action = Assert.Single(byUser.GetProperty("actions").EnumerateArray());
        Assert.Contains("rolled back v2.3.1", action.GetProperty("text").GetString());
        Assert.NotNull(action.GetProperty("sources")[0].GetProperty("permalink").GetString());
        Assert.DoesNotContain("error rate", byUser.GetProperty("text").GetString());

        var sinceTime = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync($"/api/incidents/INC-{number}/catchup?since=PT5M"));
        Assert.Equal("since", sinceTime.GetProperty("basis").GetString());
        Assert.Contains("rolled back v2.3.1", sinceTime.GetProperty("text").GetString());

        var never = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync($"/api/incidents/INC-{number}/catchup?user={Dave}"));
        Assert.Equal("never", never.GetProperty("basis").GetString());
    }

    [Fact]
    public async Task AFollowUpAgreedSinceThePersonLastSpokeIsNews()
    {
        var (number, channel) = await DeclareAsync();
        await SayAsync(channel, Bob, "here", after: TimeSpan.FromMinutes(1));
        await SayAsync(channel, Carol, "ok", after: TimeSpan.FromMinutes(1));
        await TestBot.ReadSuccessAsync(await slack.Bot.Client.PostAsJsonAsync(
            $"/api/incidents/INC-{number}/followups", new { text = "Add an alert on checkout latency", ownerId = Carol }));
        await slack.DrainAsync(number, channel);

        var answer = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync($"/api/incidents/INC-{number}/catchup?user={Bob}"));

        Assert.False(answer.GetProperty("nothingNew").GetBoolean());
        var decision = Assert.Single(answer.GetProperty("decisions").EnumerateArray());
        Assert.Contains("Add an alert on checkout latency", decision.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("", "since")]
    [InlineData("?since=PT5M&user=U0BOB", "since")]
    [InlineData("?since=lunch", "since")]
    [InlineData("?since=P1D&user=a%20b", "user")]
    public async Task TheRestCallNamesWhatIsWrong(string query, string field)
    {
        var number = await slack.DeclareAsync();

        var response = await slack.Bot.Client.GetAsync($"/api/incidents/INC-{number}/catchup{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private async Task<(long Number, string Channel)> DeclareAsync()
    {
        var number = await slack.DeclareAsync("Checkout API errors sev2 services: checkout-api");
        return (number, (await slack.ChannelOfAsync(number)).Id);
    }

    /// <summary>Moves the clock on, then says it in the channel as Slack would deliver it; returns its ts.</summary>
    private async Task<string> SayAsync(string channel, string user, string text, TimeSpan after, string? subtype = null)
    {
        // A Slack call of the bot's still on its way back (a welcome just seen by FakeSlack) would time out on the
        // moved clock and be sent again.
        await clock.WaitUntilNoTimerAsync(new SlackOptions().ApiAttemptTimeout);
        clock.Advance(after);
        var ts = $"{clock.GetUtcNow().ToUnixTimeSeconds()}.{Interlocked.Increment(ref messages):D6}";
        object message = subtype is null
            ? new { type = "message", channel, user, text, ts, channel_type = "channel" }
            : new { type = "message", subtype, channel, user, text, ts, channel_type = "channel" };
        await slack.EventAsync(message);
        return ts;
    }

    private async Task<string> CatchupAsync(string text, string channel, string user)
    {
        var response = await slack.CommandAsync(text, channel, user);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        return answer.GetProperty("text").GetString()!;
    }

    /// <summary>A model that ignores being told to leave out the reader's messages: it lists, as actions, every message it is given.</summary>
    private static FakeChatReply ListEveryMessageGiven(FakeChatRequest request)
    {
        var messages = MessageLine().Matches(request.UserText).Select(m => $"- {m.Groups["text"].Value} {m.Groups["cite"].Value}");
        return FakeChatReply.Text(
            "**Status and severity**\n- None.\n**New findings**\n- None.\n**Actions**\n" + string.Join("\n", messages.DefaultIfEmpty("- None."))
            + "\n**Decisions**\n- None.\n**Open questions**\n- None.");
    }

    [GeneratedRegex(@"^(?<cite>\[INC-\d+#\d+\]) .* · message · <@\w+>: (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex MessageLine();

    /// <summary>The bullets under the catch-up's section headings (not the sources list).</summary>
    private static IEnumerable<string> SectionBullets(string text) =>
        text[..text.IndexOf("**Sources**", StringComparison.Ordinal)].Split('\n').Where(line => line.StartsWith("- ", StringComparison.Ordinal));

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
