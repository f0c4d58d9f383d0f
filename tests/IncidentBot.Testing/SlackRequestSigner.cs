using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Testing;

/// <summary>Builds HTTP requests signed the way Slack signs them, to send to a bot under test.</summary>
public sealed class SlackRequestSigner(string signingSecret, TimeProvider? timeProvider = null)
{
    public const string EventsPath = "/slack/events";
    public const string CommandsPath = "/slack/commands";
    public const string InteractionsPath = "/slack/interactions";

    private readonly TimeProvider clock = timeProvider ?? TimeProvider.System;

    /// <summary>"v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}".</summary>
    public string Signature(long timestamp, string body)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(hash);
    }

    /// <summary>An Events API delivery; <paramref name="retryNum"/> adds Slack's retry headers.</summary>
    public HttpRequestMessage Event(string json, long? timestamp = null, int retryNum = 0, string retryReason = "http_timeout")
    {
        var request = Signed(EventsPath, json, "application/json", timestamp);
        if (retryNum > 0)
        {
            request.Headers.Add("X-Slack-Retry-Num", retryNum.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", retryReason);
        }

        return request;
    }

    public HttpRequestMessage SlashCommand(IEnumerable<KeyValuePair<string, string>> fields, long? timestamp = null) =>
        SlashCommand(FormBody(fields), timestamp);

    /// <summary>A slash command from an already encoded form body (e.g. a byte-exact fixture).</summary>
    public HttpRequestMessage SlashCommand(string formBody, long? timestamp = null) =>
        Signed(CommandsPath, formBody, "application/x-www-form-urlencoded", timestamp);

    /// <summary>An interaction: the JSON goes URL-encoded into the <c>payload</c> form field, as Slack sends it.</summary>
    public HttpRequestMessage Interaction(string payloadJson, long? timestamp = null) =>
        Signed(InteractionsPath, FormBody([new("payload", payloadJson)]), "application/x-www-form-urlencoded", timestamp);

    public HttpRequestMessage Signed(string path, string body, string mediaType, long? timestamp = null)
    {
        var seconds = timestamp ?? clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        request.Headers.Add("X-Slack-Request-Timestamp", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", Signature(seconds, body));
        return request;
    }

    public static string FormBody(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join("&", fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}"));
}
