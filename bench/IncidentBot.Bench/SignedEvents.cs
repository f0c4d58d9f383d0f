using System.Globalization;
using IncidentBot.Testing;

namespace IncidentBot.Bench;

/// <summary>
/// Builds signed Events API deliveries of a user's message in one channel, each one unique (event id and
/// ts), shaped like Slack's (authorizations, rich-text blocks, about 1 KB), signed as Slack signs them.
/// </summary>
public sealed class SignedEvents(SlackRequestSigner signer, string teamId, string channelId, string userId)
{
    // One tag per benchmark, so event ids never repeat between runs on one file.
    private readonly string runTag = Guid.NewGuid().ToString("N")[..8];
    // Message times an hour back, one microsecond apart: all distinct, all in the past.
    private readonly long firstSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
    private long sequence;

    /// <summary>A fresh event for <c>/slack/events</c>.</summary>
    public HttpRequestMessage NextEvent() => signer.Signed(SlackRequestSigner.EventsPath, NextBody(), "application/json");

    /// <summary>The same kind of body, to the signature-only baseline endpoint.</summary>
    public HttpRequestMessage NextBaseline() => signer.Signed(BaselineServer.Path, NextBody(), "application/json");

    /// <summary>A fresh event with the headers Slack would send with it, signed now, to be sent later (within Slack's 5 minutes).</summary>
    public SignedBody NextSigned()
    {
        var body = NextBody();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new SignedBody(timestamp, signer.Signature(timestamp, body), body);
    }

    private string NextBody()
    {
        var n = Interlocked.Increment(ref sequence);
        var ts = string.Create(CultureInfo.InvariantCulture, $"{firstSecond + n / 1_000_000}.{n % 1_000_000:D6}");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Load message {n}: p99 latency on checkout-api is up again, rolling back canary {n % 97} now");
        var eventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {"token":"bench-verification-token","team_id":"{{teamId}}","context_team_id":"{{teamId}}","context_enterprise_id":null,"api_app_id":"A0BENCH","event":{"user":"{{userId}}","type":"message","ts":"{{ts}}","client_msg_id":"00000000-0000-4000-8000-{{n:D12}}","text":"{{text}}","team":"{{teamId}}","blocks":[{"type":"rich_text","block_id":"b{{n % 100000:D5}}","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"{{text}}"}]}]}],"channel":"{{channelId}}","event_ts":"{{ts}}","channel_type":"channel"},"type":"event_callback","event_id":"Ev{{runTag}}{{n:D10}}","event_time":{{eventTime}},"authorizations":[{"enterprise_id":null,"team_id":"{{teamId}}","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],"is_ext_shared_channel":false,"event_context":"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMEZBS0UiLCJhaWQiOiJBMEJFTkNIIiwiY2lkIjoiQzAwMDAwMDAxIn0"}
            """);
    }
}

/// <summary>A request body with its <c>X-Slack-Request-Timestamp</c> and <c>X-Slack-Signature</c>.</summary>
public sealed record SignedBody(long Timestamp, string Signature, string Body);
