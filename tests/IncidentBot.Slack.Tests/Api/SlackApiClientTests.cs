using System.Net;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Api;

public sealed class SlackApiClientTests : IAsyncLifetime
{
    private SlackApiClientFixture slack = null!;

    public async Task InitializeAsync() => slack = await SlackApiClientFixture.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task EveryCallSendsTheBotTokenAsBearerAndJsonInUtf8()
    {
        var identity = await slack.Client.Auth.TestAsync();

        Assert.Equal((slack.Fake.BotUserId, slack.Fake.BotId), (identity.UserId, identity.BotId));
        var call = Assert.Single(slack.Fake.CallsTo("auth.test"));
        Assert.Equal($"Bearer {slack.Fake.BotToken}", call.Authorization);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
    }

    [Fact]
    public async Task PostMessageReturnsTheChannelAndTsToKeep()
    {
        var channel = slack.Fake.AddChannel("incident-1");

        var posted = await slack.Client.Chat.PostMessageAsync(new ChatMessage(channel.Id, "Incident declared")
        {
            Blocks = [new SectionBlock { Text = TextObject.Markdown("*SEV2*") }],
        });

        Assert.Equal(channel.Id, posted.Channel);
        Assert.Equal(posted.Ts, Assert.Single(channel.Messages).Ts);
        var call = Assert.Single(slack.Fake.CallsTo("chat.postMessage"));
        Assert.Equal("section", call.Body.GetProperty("blocks")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnOkFalseAnswerBecomesASlackApiExceptionWithTheErrorCode()
    {
        slack.Fake.AddChannel("incident-1-api-down");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.Client.Conversations.CreateAsync("incident-1-api-down"));

        Assert.Equal(("conversations.create", "name_taken"), (error.Method, error.Error));
        Assert.Single(slack.Fake.CallsTo("conversations.create"));
    }

    [Fact]
    public async Task InvitingSomeoneAlreadyInTheChannelFailsWithAlreadyInChannel()
    {
        var channel = slack.Fake.AddChannel("incident-2", members: "U1");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.Client.Conversations.InviteAsync(channel.Id, ["U1"]));

        Assert.Equal("already_in_channel", error.Error);
    }

    [Fact]
    public async Task InvitingIntoAChannelTheBotIsNotInFailsWithNotInChannel()
    {
        var channel = slack.Fake.AddChannel("elsewhere", botIsMember: false);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.Client.Conversations.InviteAsync(channel.Id, ["U1", "U2"]));

        Assert.Equal("not_in_channel", error.Error);
    }

    [Fact]
    public async Task AnIncidentChannelCanBeCreatedJoinedByPeopleAndTopicked()
    {
        var created = await slack.Client.Conversations.CreateAsync("incident-3-db");
        var invited = await slack.Client.Conversations.InviteAsync(created.Id, ["U1", "U2"]);
        await slack.Client.Conversations.SetTopicAsync(created.Id, "SEV1 | active | <@U1>");

        Assert.Equal("incident-3-db", created.Name);
        Assert.True(invited.IsMember);
        var channel = slack.Fake.Channels[created.Id];
        Assert.Equal("SEV1 | active | <@U1>", channel.Topic);
        Assert.Superset(new HashSet<string> { "U1", "U2", slack.Fake.BotUserId }, channel.Members);
        Assert.Equal("U1,U2", slack.Fake.CallsTo("conversations.invite")[0].Arg("users"));
    }

    [Fact]
    public async Task AMessageCanBeUpdatedPinnedAndLinked()
    {
        var channel = slack.Fake.AddChannel("incident-4");
        var card = await slack.Client.Chat.PostMessageAsync(new ChatMessage(channel.Id, "card v1"));

        var updated = await slack.Client.Chat.UpdateAsync(new MessageUpdate(channel.Id, card.Ts, "card v2"));
        await slack.Client.Pins.AddAsync(channel.Id, card.Ts);
        var permalink = await slack.Client.Chat.GetPermalinkAsync(channel.Id, card.Ts);

        Assert.Equal("card v2", updated.Text);
        Assert.Contains(card.Ts, channel.Pins);
        Assert.Equal($"https://fake.slack.com/archives/{channel.Id}/p{card.Ts.Replace(".", "", StringComparison.Ordinal)}", permalink);
    }

    [Fact]
    public async Task AnEphemeralMessageGoesToOneUser()
    {
        var channel = slack.Fake.AddChannel("incident-5", members: "U1");

        var posted = await slack.Client.Chat.PostEphemeralAsync("U1", new ChatMessage(channel.Id, "only you"));

        Assert.NotEmpty(posted.MessageTs);
        Assert.Equal("U1", Assert.Single(slack.Fake.CallsTo("chat.postEphemeral")).Arg("user"));
    }

    [Fact]
    public async Task ReadMethodsSendFormFields()
    {
        slack.Fake.AddUser("U1", "ada", "Ada Lovelace");

        var user = await slack.Client.Users.InfoAsync("U1");

        Assert.Equal("Ada Lovelace", user.RealName);
        var call = Assert.Single(slack.Fake.CallsTo("users.info"));
        Assert.Equal("application/x-www-form-urlencoded", call.ContentType);
        Assert.Equal("U1", call.Arg("user"));
    }

    [Fact]
    public async Task AnInvalidTokenIsNotRetried()
    {
        await using var wrongToken = await SlackApiClientFixture.StartAsync(botToken: "xoxb-wrong");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => wrongToken.Client.Auth.TestAsync());

        Assert.Equal("invalid_auth", error.Error);
        Assert.Single(wrongToken.Fake.CallsTo("auth.test"));
    }

    [Fact]
    public async Task ConnectionsOpenUsesTheAppLevelToken()
    {
        var url = await slack.Client.Apps.ConnectionsOpenAsync();

        Assert.StartsWith("ws://", url, StringComparison.Ordinal);
        Assert.Equal($"Bearer {slack.Fake.AppToken}", Assert.Single(slack.Fake.CallsTo("apps.connections.open")).Authorization);
    }

    [Fact]
    public async Task ARateLimitedCallWaitsForRetryAfterAndThenSucceeds()
    {
        slack.Fake.RateLimitNext("auth.test", times: 1, retryAfterSeconds: 7);

        var call = slack.Client.Auth.TestAsync();
        await slack.Time.WaitForTimerAsync(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), slack.Time.NextTimerDueIn);
        Assert.Single(slack.Fake.CallsTo("auth.test"));
        slack.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(slack.Fake.BotUserId, (await call).UserId);
        Assert.Equal(2, slack.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task ALongRetryAfterIsClampedToTheConfiguredMaximum()
    {
        await using var clamped = await SlackApiClientFixture.StartAsync(options => options.MaxRetryAfter = TimeSpan.FromSeconds(5));
        clamped.Fake.RateLimitNext("auth.test", times: 1, retryAfterSeconds: 600);

        var call = clamped.Client.Auth.TestAsync();
        await clamped.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), clamped.Time.NextTimerDueIn);
        clamped.Time.Advance(TimeSpan.FromSeconds(5));
        await call;
    }

    [Fact]
    public async Task RateLimitingThatOutlastsTheRetriesEndsInARatelimitedError()
    {
        await using var limited = await SlackApiClientFixture.StartAsync(options => options.MaxRetryAttempts = 1);
        limited.Fake.RateLimitNext("auth.test", times: 2, retryAfterSeconds: 0);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => limited.Client.Auth.TestAsync());

        Assert.Equal("ratelimited", error.Error);
        Assert.Equal(2, limited.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task ServerErrorsAreRetried()
    {
        slack.Fake.FailNext("auth.test", times: 2, HttpStatusCode.InternalServerError);

        var identity = await slack.Client.Auth.TestAsync();

        Assert.True(identity.Ok);
        Assert.Equal(3, slack.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetryBudgetSurfaceAsHttpErrors()
    {
        slack.Fake.FailNext("auth.test", times: 10, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => slack.Client.Auth.TestAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(4, slack.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task AnAttemptSlackDoesNotAnswerTimesOutOnTheClockAndIsRetried()
    {
        slack.Fake.StallNext("auth.test");

        var call = slack.Client.Auth.TestAsync();
        await slack.Fake.WaitForCallAsync("auth.test");
        await slack.Time.WaitForTimerAsync(new SlackOptions().ApiAttemptTimeout);
        slack.Time.Advance(new SlackOptions().ApiAttemptTimeout);

        Assert.Equal(slack.Fake.BotUserId, (await call).UserId);
        Assert.Equal(2, slack.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task ACallThatOutlastsItsTotalTimeoutFailsAsAnHttpError()
    {
        await using var patient = await SlackApiClientFixture.StartAsync(options => options.ApiAttemptTimeout = options.ApiTotalTimeout);
        patient.Fake.StallNext("auth.test");

        var call = patient.Client.Auth.TestAsync();
        await patient.Fake.WaitForCallAsync("auth.test");
        await patient.Time.WaitForTimerAsync(count: 2);
        patient.Time.Advance(new SlackOptions().ApiTotalTimeout);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => call);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(error.InnerException);
        Assert.Single(patient.Fake.CallsTo("auth.test"));
    }

    [Fact]
    public async Task ClientErrorsOtherThan429AreNotRetried()
    {
        slack.Fake.FailNext("auth.test", times: 1, HttpStatusCode.BadRequest);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => slack.Client.Auth.TestAsync());

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Single(slack.Fake.CallsTo("auth.test"));
    }

    [Fact]
    public async Task AfterTenFailedAttemptsSlackIsLeftAloneForAWhile()
    {
        slack.Fake.FailNext("auth.test", times: 20, HttpStatusCode.ServiceUnavailable);
        for (var call = 0; call < 3; call++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => slack.Client.Auth.TestAsync());
        }

        var paused = await Assert.ThrowsAsync<HttpRequestException>(() => slack.Client.Auth.TestAsync());

        Assert.IsType<Polly.CircuitBreaker.BrokenCircuitException>(paused.InnerException);
        Assert.Equal(10, slack.Fake.CallsTo("auth.test").Count);
    }

    [Fact]
    public void ARetryAfterDateCountsFromNow()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(slack.Time.GetUtcNow().AddSeconds(12));

        Assert.Equal(TimeSpan.FromSeconds(12), RetryAfterDelay.Read(response, slack.Time));
    }

    [Fact]
    public async Task OkFalseErrorsAreNotRetried()
    {
        slack.Fake.ErrorNext("chat.postMessage", "fatal_error");
        var channel = slack.Fake.AddChannel("incident-6");

        await Assert.ThrowsAsync<SlackApiException>(() => slack.Client.Chat.PostMessageAsync(new ChatMessage(channel.Id, "x")));

        Assert.Single(slack.Fake.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task HistoryFollowsCursorsUntilTheLastPage()
    {
        var channel = slack.Fake.AddChannel("incident-7");
        var posted = Enumerable.Range(1, 5).Select(i => slack.Fake.AddMessage(channel.Id, "U1", $"update {i}")).ToList();

        var messages = await slack.Client.Conversations.EnumerateHistoryAsync(channel.Id, pageSize: 2).ToListAsync();

        Assert.Equal(posted.AsEnumerable().Reverse(), messages.Select(message => message.Ts));
        var calls = slack.Fake.CallsTo("conversations.history");
        Assert.Equal(3, calls.Count);
        Assert.Null(calls[0].Arg("cursor"));
        Assert.All(calls.Skip(1), call => Assert.False(string.IsNullOrEmpty(call.Arg("cursor"))));
    }

    [Fact]
    public async Task RepliesStartWithTheParentAndFollowCursors()
    {
        var channel = slack.Fake.AddChannel("incident-8");
        var parent = slack.Fake.AddMessage(channel.Id, "U1", "parent");
        slack.Fake.AddMessage(channel.Id, "U2", "reply 1", threadTs: parent);
        slack.Fake.AddMessage(channel.Id, "U3", "reply 2", threadTs: parent);

        var thread = await slack.Client.Conversations.EnumerateRepliesAsync(channel.Id, parent, pageSize: 1).ToListAsync();

        Assert.Equal(["parent", "reply 1", "reply 2"], thread.Select(message => message.Text));
        Assert.Equal(3, slack.Fake.CallsTo("conversations.replies").Count);
    }

    [Fact]
    public async Task ListFollowsCursorsOverAllChannels()
    {
        foreach (var i in Enumerable.Range(1, 3))
        {
            slack.Fake.AddChannel($"channel-{i}");
        }

        var channels = await slack.Client.Conversations.EnumerateListAsync(pageSize: 2).ToListAsync();

        Assert.Equal(["channel-1", "channel-2", "channel-3"], channels.Select(channel => channel.Name));
    }

    [Fact]
    public async Task AModalIsOpenedWithItsTriggerAndDefinition()
    {
        var modal = new ModalView(TextObject.Plain("Declare"),
            [new InputBlock(TextObject.Plain("Title"), new PlainTextInputElement { ActionId = "title" }) { BlockId = "title" }])
        {
            CallbackId = "declare",
            Submit = TextObject.Plain("Declare"),
        };

        var view = await slack.Client.Views.OpenAsync("1.2.trigger", modal);

        Assert.StartsWith("V", view.Id, StringComparison.Ordinal);
        var call = Assert.Single(slack.Fake.CallsTo("views.open"));
        Assert.Equal("1.2.trigger", call.Arg("trigger_id"));
        Assert.Equal("modal", call.Body.GetProperty("view").GetProperty("type").GetString());
        Assert.Equal("declare", call.Body.GetProperty("view").GetProperty("callback_id").GetString());
    }

    [Fact]
    public async Task TheHomeTabIsPublishedForAUser()
    {
        var view = await slack.Client.Views.PublishAsync("U1", new HomeView([new HeaderBlock(TextObject.Plain("Open incidents"))]));

        Assert.Equal("home", slack.Fake.Views[view.Id].Type);
        Assert.Equal("U1", Assert.Single(slack.Fake.CallsTo("views.publish")).Arg("user_id"));
    }

    [Fact]
    public async Task AResponseUrlReceivesTheMessageAsJson()
    {
        await slack.ResponseUrls.PostAsync(slack.Fake.ResponseUrl("r1"), new ResponseUrlMessage { Text = "done", ReplaceOriginal = true });

        var call = await slack.Fake.WaitForCallAsync("response_url");
        Assert.Equal(("done", "true"), (call.Arg("text"), call.Arg("replace_original")));
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task AResponseUrlThatAnswers503IsPostedAgain()
    {
        slack.Fake.FailNext("response_url", times: 1, HttpStatusCode.ServiceUnavailable);

        await slack.ResponseUrls.PostAsync(slack.Fake.ResponseUrl("r2"), new ResponseUrlMessage { Text = "done" });

        Assert.Equal(2, slack.Fake.CallsTo("response_url").Count);
    }

    [Fact]
    public async Task AResponseUrlSlackRefusesIsNotPostedAgain()
    {
        slack.Fake.FailNext("response_url", times: 1, HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => slack.ResponseUrls.PostAsync(slack.Fake.ResponseUrl("expired"), new ResponseUrlMessage { Text = "done" }));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Single(slack.Fake.CallsTo("response_url"));
    }
}
