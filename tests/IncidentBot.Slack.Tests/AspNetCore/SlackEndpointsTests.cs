using System.Net;
using System.Text.Json;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.AspNetCore;

public sealed class SlackEndpointsTests : IAsyncLifetime
{
    private SlackTestHost host = null!;

    public async Task InitializeAsync() => host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task UrlVerificationIsAnsweredWithTheChallenge()
    {
        using var response = await host.SendAsync(host.Signer.Event(Fixture.Read("event_url_verification.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AForgedSignatureIsRefusedAndNothingIsDispatched()
    {
        var forger = new SlackRequestSigner("not-the-secret");

        using var response = await host.SendAsync(forger.Event(SlackTestHost.MessageEventJson("EvForged", "forged")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await host.SendMarkerEventAsync();
        Assert.DoesNotContain(host.Log.Entries, entry => entry.Payload is MessageEvent { Text: "forged" });
    }

    [Fact]
    public async Task AStaleTimestampIsRefused()
    {
        var sixMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();

        using var response = await host.SendAsync(host.Signer.Event(SlackTestHost.MessageEventJson("EvStale"), sixMinutesAgo));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ARequestWithoutSignatureHeadersIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SlackRequestSigner.EventsPath)
        {
            Content = new StringContent(Fixture.Read("event_url_verification.json")),
        };

        using var response = await host.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestWithAProblemDetailsBody()
    {
        using var response = await host.SendAsync(host.Signer.Event("{\"type\":\"event_callback\","));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Malformed Slack payload", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnUnknownEventTypeIsAcknowledgedAndIgnored()
    {
        const string json = """{"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"EvUnknown","event_time":1,"event":{"type":"reaction_added","user":"U1"}}""";

        using var response = await host.SendAsync(host.Signer.Event(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.SendMarkerEventAsync();
        Assert.Single(host.Log.Entries);
    }

    [Fact]
    public async Task AppRateLimitedIsAcknowledged()
    {
        using var response = await host.SendAsync(host.Signer.Event(Fixture.Read("event_app_rate_limited.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ARetriedEventReachesItsHandlerOnce()
    {
        var json = SlackTestHost.MessageEventJson("EvTwice", "twice");

        using var first = await host.SendAsync(host.Signer.Event(json));
        using var retry = await host.SendAsync(host.Signer.Event(json, retryNum: 1, retryReason: "http_timeout"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        await host.SendMarkerEventAsync();
        Assert.Single(host.Log.Entries, entry => entry.Payload is MessageEvent { Text: "twice" });
    }

    [Fact]
    public async Task TheEventContextShowsRetryHeadersAndTheEnvelope()
    {
        using var response = await host.SendAsync(host.Signer.Event(SlackTestHost.MessageEventJson("EvRetried", "retried"), retryNum: 2, retryReason: "http_error"));

        var handled = await host.Log.WaitForAsync(entry => entry.Payload is MessageEvent { Text: "retried" });
        Assert.Equal(new EventContext("EvRetried", "T1", "A1", DateTimeOffset.FromUnixTimeSeconds(1700000000), 2, "http_error"), handled.Context);
        Assert.True(handled.Context!.IsRetry);
    }

    [Fact]
    public async Task SlackIsAcknowledgedBeforeTheEventHandlerRuns()
    {
        using var response = await host.SendAsync(host.Signer.Event(Fixture.Read("event_app_mention.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Log.Entries);
        host.Log.Release.SetResult();
        var handled = await host.Log.WaitForAsync(entry => entry.Kind == "mention");
        Assert.Equal("C123ABC456", ((AppMention)handled.Payload).Channel);
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedWith413()
    {
        var huge = SlackTestHost.MessageEventJson("EvHuge", new string('x', 1024 * 1024 + 1));

        using var response = await host.SendAsync(host.Signer.Event(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnUnsignedSslCheckIsAnsweredWithOk()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SlackRequestSigner.CommandsPath)
        {
            Content = new FormUrlEncodedContent([new("ssl_check", "1"), new("token", "x")]),
        };

        using var response = await host.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASlashCommandIsRoutedToItsHandlerAndItsResponseReturned()
    {
        using var response = await host.SendAsync(host.Signer.SlashCommand(CommandFields("/echo", "declare API down")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ephemeral", body.RootElement.GetProperty("response_type").GetString());
        Assert.Equal("echo: declare API down", body.RootElement.GetProperty("text").GetString());
        var command = (SlashCommand)Assert.Single(host.Log.Entries).Payload;
        Assert.Equal(("U1", "C1"), (command.UserId, command.ChannelId));
    }

    [Fact]
    public async Task AnUnknownSlashCommandIsAcknowledgedWithAnEmptyBody()
    {
        using var response = await host.SendAsync(host.Signer.SlashCommand(CommandFields("/nobody-handles-this", "")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASlashCommandFormWithoutACommandIsABadRequest()
    {
        using var response = await host.SendAsync(host.Signer.SlashCommand("text=hello"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ASlowSlashCommandIsAcknowledgedAndAnswersLaterThroughItsResponseUrl()
    {
        await using var fakeSlack = await FakeSlack.StartAsync();
        await using var quickHost = await SlackTestHost.StartAsync(options => options.SynchronousHandlerTimeout = TimeSpan.FromMilliseconds(100));
        var fields = CommandFields("/slow", "").Append(new("response_url", fakeSlack.ResponseUrl("slow")));

        using var response = await quickHost.SendAsync(quickHost.Signer.SlashCommand(fields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        quickHost.Log.Release.SetResult();
        var late = await fakeSlack.WaitForCallAsync("response_url");
        Assert.Equal("/response/slow", late.Path);
        Assert.Equal(("in_channel", "done, late"), (late.Arg("response_type"), late.Arg("text")));
    }

    [Fact]
    public async Task ABlockActionIsAcknowledgedAndRoutedByActionId()
    {
        using var response = await host.SendAsync(host.Signer.Interaction(Fixture.Read("block_actions.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var handled = await host.Log.WaitForAsync(entry => entry.Kind == "action");
        Assert.Equal("click_me_123", ((BlockAction)handled.Payload).Value);
    }

    [Fact]
    public async Task AViewSubmissionAnswersWithErrorsSynchronously()
    {
        using var response = await host.SendAsync(host.Signer.Interaction(Fixture.Read("view_submission.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("errors", body.RootElement.GetProperty("response_action").GetString());
        Assert.Equal("That title is taken", body.RootElement.GetProperty("errors").GetProperty("hspI").GetString());
    }

    [Fact]
    public async Task AnInteractionWithoutAPayloadFieldIsABadRequest()
    {
        var request = host.Signer.Signed(SlackRequestSigner.InteractionsPath, "something=else", "application/x-www-form-urlencoded");

        using var response = await host.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnInteractionWithAForgedSignatureIsRefused()
    {
        using var response = await host.SendAsync(new SlackRequestSigner("wrong").Interaction(Fixture.Read("block_actions.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await host.SendMarkerEventAsync();
        Assert.DoesNotContain(host.Log.Entries, entry => entry.Kind == "action");
    }

    private static IEnumerable<KeyValuePair<string, string>> CommandFields(string command, string text) =>
    [
        new("token", "legacy"), new("team_id", "T1"), new("team_domain", "fake"), new("channel_id", "C1"),
        new("channel_name", "general"), new("user_id", "U1"), new("user_name", "ada"), new("command", command),
        new("text", text), new("trigger_id", "1.2.3"), new("api_app_id", "A1"),
    ];
}
