using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Dora;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Dora;

/// <summary>
/// DORA events pushed to a fake intake over real HTTP, on the fake clock: the sender's waits are timers the test
/// sees and moves past, never sleeps.
/// </summary>
public sealed class DoraEventsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private const string Commit = "66adc9350f2cc9b250b69abddab733dd55e1a588";

    private readonly FakeClock clock = new(Start);
    private readonly TemporaryDatabase database = new();
    private FakeDora dora = null!;

    public async Task InitializeAsync() => dora = await FakeDora.StartAsync();

    public async Task DisposeAsync()
    {
        await dora.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task ADeclarationRefusedWithA500AndThenA429IsDeliveredOnceAfterTheRetryAfter()
    {
        dora.FailNext(HttpStatusCode.InternalServerError);
        dora.FailNext(HttpStatusCode.TooManyRequests, retryAfterSeconds: 120);
        await using var bot = await StartBotAsync();

        await DeclareAsync(bot);
        Assert.Equal(HttpStatusCode.InternalServerError, (await dora.WaitForRequestsAsync(1))[0].Status);

        await MoveOnAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await dora.WaitForRequestsAsync(2))[1].Status);

        // The sender looks again within a minute, finds the event not due before its Retry-After, and waits on.
        await MoveOnAsync(TimeSpan.FromMinutes(1));
        await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, dora.Requests.Count);

        clock.Advance(TimeSpan.FromMinutes(1));
        var accepted = (await dora.WaitForRequestsAsync(3))[2];
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(dora.ApiKey, accepted.ApiKey);
        var attributes = accepted.Attributes;
        Assert.Equal("INC-1", attributes.GetProperty("id").GetString());
        Assert.Equal("Checkout returns 502 for all card payments", attributes.GetProperty("name").GetString());
        Assert.Equal(["checkout"], attributes.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("payments", attributes.GetProperty("team").GetString());
        Assert.Equal("prod", attributes.GetProperty("env").GetString());
        Assert.Equal("SEV-2", attributes.GetProperty("severity").GetString());
        Assert.Equal(Nanoseconds(Start.AddMinutes(-12)), attributes.GetProperty("started_at").GetInt64());
        Assert.False(attributes.TryGetProperty("finished_at", out _));

        await MoveOnAsync(TimeSpan.FromMinutes(1));
        await MoveOnAsync(TimeSpan.FromMinutes(1));
        Assert.Single(dora.Accepted);
        Assert.Equal(3, dora.Requests.Count);
    }

    [Fact]
    public async Task ARestartResumesTheRetryAndNothingIsSentTwice()
    {
        dora.FailNext(HttpStatusCode.BadGateway);
        await using (var first = await StartBotAsync())
        {
            await DeclareAsync(first);
            await dora.WaitForRequestsAsync(1);
            await clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        }

        await using (var second = await StartBotAsync())
        {
            await MoveOnAsync(TimeSpan.FromSeconds(30));
            await dora.WaitForRequestsAsync(2);
            // The intake has the event, but the sender may still wait for its answer, which the clock moved on now
            // would time out and send again; once the sender waits for its next check, it has marked it delivered.
            await clock.WaitForTimerAsync(DoraSender.CheckEvery);

            await second.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "deploy", targetId = $"https://github.com/acme/shop/commit/{Commit}" });
            clock.Advance(TimeSpan.FromMinutes(20));
            await TestBot.ReadSuccessAsync(await second.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "resolved" }));
            var resolution = (await dora.WaitForRequestsAsync(3))[2];
            Assert.Equal(HttpStatusCode.Accepted, resolution.Status);
            Assert.Equal(Nanoseconds(Start.AddSeconds(30).AddMinutes(20)), resolution.Attributes.GetProperty("finished_at").GetInt64());
            var git = resolution.Attributes.GetProperty("git");
            Assert.Equal(Commit, git.GetProperty("commit_sha").GetString());
            Assert.Equal("https://github.com/acme/shop", git.GetProperty("repository_url").GetString());
        }

        await using (var third = await StartBotAsync())
        {
            await MoveOnAsync(TimeSpan.FromMinutes(1));
            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, dora.Requests.Count);
        Assert.Equal(2, dora.Accepted.Count);
    }

    [Fact]
    public async Task AnEventTheEndpointRefusesForGoodIsNotSentAgain()
    {
        dora.FailNext(HttpStatusCode.BadRequest);
        await using var bot = await StartBotAsync();

        await DeclareAsync(bot);
        await dora.WaitForRequestsAsync(1);
        await MoveOnAsync(TimeSpan.FromMinutes(1));
        await MoveOnAsync(TimeSpan.FromMinutes(1));

        Assert.Single(dora.Requests);
        var events = await ListAsync(bot, "P1D");
        Assert.Equal("refused", events.Single().GetProperty("delivery").GetString());
    }

    [Fact]
    public async Task ThePullEndpointListsTheSameEventsSinceATime()
    {
        await using var bot = await StartBotAsync(push: false);
        await DeclareAsync(bot);
        clock.Advance(TimeSpan.FromHours(1));
        await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "resolved" }));

        var all = await ListAsync(bot, Start.AddMinutes(-1).ToString("O"));
        Assert.Equal(["declared", "resolved"], all.Select(e => e.GetProperty("event").GetString()));
        Assert.All(all, e => Assert.Equal("pending", e.GetProperty("delivery").GetString()));
        var resolved = all[1].GetProperty("data").GetProperty("attributes");
        Assert.Equal("INC-1", resolved.GetProperty("id").GetString());
        Assert.Equal(Nanoseconds(Start.AddMinutes(-12)), resolved.GetProperty("started_at").GetInt64());
        Assert.Equal(Nanoseconds(Start.AddHours(1)), resolved.GetProperty("finished_at").GetInt64());
        Assert.Empty(dora.Requests);

        var later = await ListAsync(bot, Start.AddMinutes(1).ToString("O"));
        Assert.Equal("resolved", Assert.Single(later).GetProperty("event").GetString());
    }

    [Fact]
    public async Task ThePullEndpointNeedsAnApiKeyAndASince()
    {
        await using var bot = await StartBotAsync(push: false);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.AnonymousClient().GetAsync("/api/dora/incidents?since=P1D")).StatusCode);
        var missing = await bot.Client.GetAsync("/api/dora/incidents");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("since is required", await missing.Content.ReadAsStringAsync());
        var wrong = await bot.Client.GetAsync("/api/dora/incidents?since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("'yesterday' is not a time", await wrong.Content.ReadAsStringAsync());
    }

    private async Task<TestBot> StartBotAsync(bool push = true) =>
        await TestBot.StartAsync(database.ConnectionString, clock, push
            ? new Dictionary<string, string?>
            {
                ["Dora:Endpoint"] = dora.Endpoint.ToString(),
                ["Dora:ApiKey"] = dora.ApiKey,
                ["Dora:Team"] = "payments",
            }
            : null);

    private static Task<JsonElement> DeclareAsync(TestBot bot) => bot.DeclareAsync(new
    {
        title = "Checkout returns 502 for all card payments",
        severity = "sev2",
        services = new[] { "checkout" },
        environment = "prod",
        impactStartedAt = Start.AddMinutes(-12).ToString("O"),
    });

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(TestBot bot, string since)
    {
        var body = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/dora/incidents?since={Uri.EscapeDataString(since)}"));
        return [.. body.GetProperty("events").EnumerateArray()];
    }

    /// <summary>Waits until the sender sleeps for <paramref name="wait"/>, then moves the clock past it.</summary>
    private async Task MoveOnAsync(TimeSpan wait)
    {
        await clock.WaitForTimerAsync(wait);
        clock.Advance(wait);
    }

    private static long Nanoseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;
}
