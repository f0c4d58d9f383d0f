using System.Net;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Every request of <see cref="HostileCorpus"/> goes to the bot over real HTTP. Whatever it is, the answer
/// is never a 5xx, nothing it says is stored (every incident and every timeline entry, read back through
/// the REST API after the Slack work queue has drained, are as they were), and the bot still answers
/// /healthz and /readyz afterwards.
/// </summary>
public sealed class HostileInputTests(RobustnessBot bot) : IClassFixture<RobustnessBot>
{
    private static readonly Dictionary<string, HostileCase> Cases =
        HostileCorpus.All.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public static TheoryData<string> Names => new(HostileCorpus.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task AHostileRequestIsRefusedOrIgnoredAndStoresNothing(string name)
    {
        var hostile = Cases[name];
        var before = await bot.SnapshotAsync();

        using var response = await SendAsync(hostile);

        if (response is not null)
        {
            AssertAnswer(hostile, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(before, await bot.SnapshotAsync());
        await bot.AssertStillHealthyAsync();
    }

    /// <summary>Null when the bot refused a body too large by closing the connection before the client had sent it all.</summary>
    private async Task<HttpResponseMessage?> SendAsync(HostileCase hostile)
    {
        try
        {
            return await bot.SendAsync(hostile.Request(bot));
        }
        catch (HttpRequestException hungUp) when (hostile.Status == 413 && hungUp.InnerException is IOException)
        {
            return null;
        }
    }

    private static void AssertAnswer(HostileCase hostile, int status, string body)
    {
        var said = $"{hostile.Name}: {status} {Shorten(body)}";
        Assert.True(status < 500, said);
        switch (hostile.Verdict)
        {
            case Verdict.Refused:
                Assert.True(status is >= 400 and < 500, said);
                break;
            case Verdict.Ignored:
                Assert.True(status == 200, said);
                break;
            case Verdict.Answered:
                Assert.True(status is >= 200 and < 300 or >= 400 and < 500, said);
                break;
        }

        if (hostile.Status is { } expected)
        {
            Assert.True(status == expected, $"expected {expected}; {said}");
        }
    }

    [Fact]
    public void EveryCaseHasItsOwnName() =>
        Assert.Equal(HostileCorpus.All.Count, HostileCorpus.All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public async Task AForgedDeliveryDoesNotUseUpTheEventIdOfTheRealOne()
    {
        var eventId = "Ev" + Guid.NewGuid().ToString("N");
        var forged = RobustnessBot.MessageEvent(bot.IncidentChannel, "forged first delivery");
        var real = RobustnessBot.MessageEvent(bot.IncidentChannel, "the real delivery");

        using var refused = await bot.SendAsync(bot.SignedEvent(bot.Envelope(forged, eventId)) with { Signature = "v0=" + new string('f', 64) });
        using var accepted = await bot.SendAsync(bot.SignedEvent(bot.Envelope(real, eventId)));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await bot.DrainAsync();
        var texts = (await bot.TimelineAsync(bot.Incident)).Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains("the real delivery", texts);
        Assert.DoesNotContain("forged first delivery", texts);
    }

    [Fact]
    public async Task TheChallengeOfASignedUrlVerificationComesBackAsPlainText()
    {
        using var response = await bot.SendAsync(bot.SignedEvent("""{"type":"url_verification","challenge":"<script>alert(1)</script>"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<script>alert(1)</script>", await response.Content.ReadAsStringAsync());
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
