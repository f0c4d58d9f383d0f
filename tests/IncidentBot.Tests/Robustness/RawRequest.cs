using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// A request described byte for byte, so a corpus case can say exactly what goes on the wire:
/// any body (invalid UTF-8 included), any signature headers or none, chunked or with a length.
/// </summary>
public sealed record RawRequest(HttpMethod Method, string Path, byte[] Body, string? MediaType)
{
    /// <summary>The X-Slack-Request-Timestamp header; null leaves it out.</summary>
    public string? Timestamp { get; init; }

    /// <summary>The X-Slack-Signature header; null leaves it out.</summary>
    public string? Signature { get; init; }

    /// <summary>Sent with Transfer-Encoding: chunked and no Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>The Authorization header; null leaves it out.</summary>
    public string? Authorization { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static RawRequest Post(string path, byte[] body, string? mediaType) => new(HttpMethod.Post, path, body, mediaType);

    public static RawRequest Post(string path, string body, string? mediaType) => Post(path, Encoding.UTF8.GetBytes(body), mediaType);

    public static RawRequest Json(HttpMethod method, string path, string json) => new(method, path, Encoding.UTF8.GetBytes(json), "application/json");

    public static RawRequest Get(string path) => new(HttpMethod.Get, path, [], null);

    /// <summary>Signed as Slack signs: "v0=" + HMAC-SHA256 of "v0:{timestamp}:{body}" with the secret.</summary>
    public RawRequest SignedBy(string secret, long timestamp) => SignedBy(secret, timestamp.ToString(CultureInfo.InvariantCulture));

    /// <summary>Signed over whatever timestamp text is given, so a malformed timestamp still carries a matching signature.</summary>
    public RawRequest SignedBy(string secret, string timestamp) =>
        this with { Timestamp = timestamp, Signature = SlackSignatureVerifier.Sign(secret, timestamp, Body) };

    public RawRequest WithBody(byte[] body) => this with { Body = body };

    public RawRequest WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Method != HttpMethod.Get || Body.Length > 0)
        {
            message.Content = Chunked ? new ChunkedContent(Body) : new ByteArrayContent(Body);
            if (MediaType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            }
        }

        if (Timestamp is not null)
        {
            message.Headers.TryAddWithoutValidation(SlackSignatureVerifier.TimestampHeader, Timestamp);
        }

        if (Signature is not null)
        {
            message.Headers.TryAddWithoutValidation(SlackSignatureVerifier.SignatureHeader, Signature);
        }

        if (Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Chunked)
        {
            message.Headers.TransferEncodingChunked = true;
        }

        return message;
    }

    public override string ToString() => $"{Method} {Path} ({Body.Length} bytes{(Chunked ? ", chunked" : "")})";

    /// <summary>A body whose length is not known in advance, written in small pieces.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            const int Piece = 8 * 1024;
            for (var offset = 0; offset < body.Length; offset += Piece)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(Piece, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

/// <summary>Slack's own escaping of user text: &amp;, &lt; and &gt; become entities, nothing else changes.</summary>
public static class SlackEscaping
{
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Form(params (string Name, string Value)[] fields) =>
        SlackRequestSigner.FormBody(fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)));
}
