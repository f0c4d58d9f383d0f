using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.AspNetCore;

/// <summary>The outcome of checking a request's signature; <see cref="FailureReason"/> is safe to log.</summary>
public sealed record SignatureCheck(bool IsValid, string? FailureReason)
{
    public static readonly SignatureCheck Valid = new(true, null);

    public static SignatureCheck Invalid(string reason) => new(false, reason);
}

/// <summary>
/// Checks Slack's v0 request signature: HMAC-SHA256 of "v0:{timestamp}:{raw body}" keyed with the
/// signing secret, within five minutes of now in either direction (replay protection), compared
/// in constant time.
/// </summary>
public sealed class SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider timeProvider)
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";
    private const string Version = "v0";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public SignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        var secret = options.Value.SigningSecret;
        if (string.IsNullOrEmpty(secret))
        {
            // Unlike SlackNet, a missing secret refuses every request instead of skipping the check.
            return SignatureCheck.Invalid("no signing secret configured");
        }

        if (TimestampProblem(timestamp) is { } timestampProblem)
        {
            return SignatureCheck.Invalid(timestampProblem);
        }

        if (string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Invalid("missing signature");
        }

        if (!signature.StartsWith(Version + "=", StringComparison.Ordinal))
        {
            return SignatureCheck.Invalid("unknown signature version");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp!, body));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid("signature mismatch");
    }

    /// <summary>"v0=" + lowercase hex HMAC-SHA256; the secret is used as its UTF-8 text, not decoded.</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var baseString = new byte[prefix.Length + body.Length];
        prefix.CopyTo(baseString, 0);
        body.CopyTo(baseString.AsSpan(prefix.Length));
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), baseString);
        return $"{Version}={Convert.ToHexStringLower(hash)}";
    }

    private string? TimestampProblem(string? timestamp)
    {
        if (string.IsNullOrEmpty(timestamp))
        {
            return "missing timestamp";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "malformed timestamp";
        }

        var age = timeProvider.GetUtcNow().ToUnixTimeSeconds() - seconds;
        return Math.Abs(age) > Window.TotalSeconds ? "timestamp outside the five-minute window" : null;
    }
}
