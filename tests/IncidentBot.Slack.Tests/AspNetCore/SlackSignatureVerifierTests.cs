using System.Text;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.AspNetCore;

public sealed class SlackSignatureVerifierTests
{
    private const long VectorTimestamp = 1531420618;
    private static readonly IReadOnlyDictionary<string, string> Vector = Fixture.SigningVector();
    private static readonly byte[] VectorBody = Encoding.UTF8.GetBytes(Fixture.Read("slash_command.form"));

    [Fact]
    public void AcceptsTheOfficialTestVector()
    {
        var check = Verifier(secondsAfterVector: 100).Verify($"{VectorTimestamp}", Vector["X-Slack-Signature"], VectorBody);

        Assert.True(check.IsValid, check.FailureReason);
    }

    [Fact]
    public void TheFixtureBodyIsTheVectorBodyByteForByte()
    {
        Assert.Equal(Vector["body"], Fixture.Read("slash_command.form"));
    }

    [Fact]
    public void SignComputesTheOfficialSignature()
    {
        var signature = SlackSignatureVerifier.Sign(Vector["signing_secret"], $"{VectorTimestamp}", VectorBody);

        Assert.Equal(Vector["X-Slack-Signature"], signature);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void RejectsATimestampMoreThanFiveMinutesAwayInEitherDirection(int secondsAfterVector)
    {
        var check = Verifier(secondsAfterVector).Verify($"{VectorTimestamp}", Vector["X-Slack-Signature"], VectorBody);

        Assert.False(check.IsValid);
        Assert.Equal("timestamp outside the five-minute window", check.FailureReason);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void AcceptsATimestampExactlyFiveMinutesAway(int secondsAfterVector)
    {
        var check = Verifier(secondsAfterVector).Verify($"{VectorTimestamp}", Vector["X-Slack-Signature"], VectorBody);

        Assert.True(check.IsValid, check.FailureReason);
    }

    [Fact]
    public void RejectsATamperedBody()
    {
        var tampered = Encoding.UTF8.GetBytes(Fixture.Read("slash_command.form").Replace("roadrunner", "coyote", StringComparison.Ordinal));

        var check = Verifier(100).Verify($"{VectorTimestamp}", Vector["X-Slack-Signature"], tampered);

        Assert.Equal(SignatureCheck.Invalid("signature mismatch"), check);
    }

    [Fact]
    public void RejectsASignatureMadeForAnotherTimestamp()
    {
        var check = Verifier(100).Verify($"{VectorTimestamp + 1}", Vector["X-Slack-Signature"], VectorBody);

        Assert.Equal(SignatureCheck.Invalid("signature mismatch"), check);
    }

    [Fact]
    public void RejectsAnUnknownSignatureVersion()
    {
        var v1 = "v1=" + Vector["X-Slack-Signature"]["v0=".Length..];

        var check = Verifier(100).Verify($"{VectorTimestamp}", v1, VectorBody);

        Assert.Equal(SignatureCheck.Invalid("unknown signature version"), check);
    }

    [Theory]
    [InlineData(null, "v0=abc", "missing timestamp")]
    [InlineData("", "v0=abc", "missing timestamp")]
    [InlineData("1531420618", null, "missing signature")]
    [InlineData("1531420618", "", "missing signature")]
    [InlineData("15314x0618", "v0=abc", "malformed timestamp")]
    [InlineData("-1531420618", "v0=abc", "malformed timestamp")]
    [InlineData("99999999999999999999999", "v0=abc", "malformed timestamp")]
    public void RejectsMissingOrMalformedHeaders(string? timestamp, string? signature, string reason)
    {
        var check = Verifier(100).Verify(timestamp, signature, VectorBody);

        Assert.Equal(SignatureCheck.Invalid(reason), check);
    }

    [Fact]
    public void RejectsEverythingWhenNoSigningSecretIsConfigured()
    {
        var verifier = new SlackSignatureVerifier(
            Options.Create(new SlackOptions { SigningSecret = "" }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp)));

        var check = verifier.Verify($"{VectorTimestamp}", Vector["X-Slack-Signature"], VectorBody);

        Assert.Equal(SignatureCheck.Invalid("no signing secret configured"), check);
    }

    [Fact]
    public void AgreesWithTheTestSigner()
    {
        var signer = new SlackRequestSigner("another-secret");
        var body = "{\"type\":\"event_callback\"}";
        var verifier = new SlackSignatureVerifier(
            Options.Create(new SlackOptions { SigningSecret = "another-secret" }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp)));

        var check = verifier.Verify($"{VectorTimestamp}", signer.Signature(VectorTimestamp, body), Encoding.UTF8.GetBytes(body));

        Assert.True(check.IsValid, check.FailureReason);
    }

    private static SlackSignatureVerifier Verifier(int secondsAfterVector) => new(
        Options.Create(new SlackOptions { SigningSecret = Vector["signing_secret"] }),
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp + secondsAfterVector)));
}
