using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

/// <summary>
/// Nine incidents over seven weeks for the questions to be asked against, ending on Wednesday 2026-11-18 at 10:00 UTC
/// (<see cref="Now"/>). This month (from November 1st) holds six incidents, three of them SEV-1; three are open.
/// <code>
/// INC-1 SSO certificate rotation broke sign-in   SEV-1 auth, sso                 10-05 09:00 → 11:00 (2 h)     Alice
/// INC-2 Orders database primary failover         SEV-1 orders-db                 10-20 22:00 → 22:45 (45 min)  Dave
/// INC-3 Search results slow                      SEV-3 search-api                10-28 14:00 → 15:00 (1 h)     Erin
/// INC-4 Checkout 502s after deploy v2.14.0       SEV-1 checkout-api, payments-api 11-03 07:30 → 09:00 (1 h 30) Alice, then Bob
/// INC-5 Card payments declined by the acquirer   SEV-2 payments-api              11-10 08:00 → 10:00 (2 h)     Erin
/// INC-6 Orders database connection storm         SEV-1 orders-db                 11-12 22:00 → 23:00 (1 h)     Dave
/// INC-7 Login page slow for EU users             SEV-4 auth                      11-17 16:00, stable            Carol
/// INC-8 DDoS attack on the edge load balancers   SEV-1 edge-proxy, cdn           11-18 08:00, active            Alice
/// INC-9 Payment provider timeouts during checkout SEV-2 payments-api, checkout-api 11-18 09:15, active          Erin
/// </code>
/// Four have an impact-start time, for the time to detect: INC-2 5 min, INC-4 10 min, INC-5 30 min, INC-6 20 min.
/// </summary>
public sealed class QuestionWorld() : SeededWorld(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero))
{
    public static readonly DateTimeOffset Now = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Timeline entry ids worth pointing at, by a short name.</summary>
    public Dictionary<string, long> Entries { get; } = [];

    protected override async Task SeedAsync()
    {
        await WriteOctoberAsync();
        await WriteCheckoutAsync();
        await WriteNovemberAsync();
        await WriteTodayAsync();
        SetClock(Now);
    }

    private async Task WriteOctoberAsync()
    {
        var sso = await DeclareAsync("SSO certificate rotation broke sign-in", Severity.Sev1, ["auth", "sso"], Alice, "Nobody could sign in with SSO");
        await SayAsync(sso, Alice, "the IdP rejects our new signing certificate");
        await SayAsync(sso, Bob, "Root cause: the rotated certificate was missing its intermediate");
        await ResolveAtAsync(sso, new DateTimeOffset(2026, 10, 5, 11, 0, 0, TimeSpan.Zero), Alice, "Re-issued the certificate with its chain");

        SetClock(new DateTimeOffset(2026, 10, 20, 22, 0, 0, TimeSpan.Zero));
        var failover = await DeclareAsync("Orders database primary failover", Severity.Sev1, ["orders-db"], Dave,
            impactStartedAt: new DateTimeOffset(2026, 10, 20, 21, 55, 0, TimeSpan.Zero));
        await SayAsync(failover, Dave, "primary orders-db node lost its disk, replica promoted");
        await ResolveAtAsync(failover, new DateTimeOffset(2026, 10, 20, 22, 45, 0, TimeSpan.Zero), Dave);

        SetClock(new DateTimeOffset(2026, 10, 28, 14, 0, 0, TimeSpan.Zero));
        var search = await DeclareAsync("Search results slow", Severity.Sev3, ["search-api"], Erin);
        await SayAsync(search, Erin, "one elasticsearch data node ran out of disk");
        await SayAsync(search, Erin, "Added disk to the data node, cluster green again");
        await ResolveAtAsync(search, new DateTimeOffset(2026, 10, 28, 15, 0, 0, TimeSpan.Zero), Erin);
    }

    /// <summary>INC-4, with a timeline long enough for a postmortem: 18 messages and posts.</summary>
    private async Task WriteCheckoutAsync()
    {
        SetClock(new DateTimeOffset(2026, 11, 3, 7, 30, 0, TimeSpan.Zero));
        var n = await DeclareAsync("Checkout 502s after deploy v2.14.0", Severity.Sev1, ["checkout-api", "payments-api"], Alice,
            "About 38% of checkout attempts fail with a 502", impactStartedAt: new DateTimeOffset(2026, 11, 3, 7, 20, 0, TimeSpan.Zero));
        await SayAsync(n, DatadogBot, "[Datadog] ALERT: checkout-api 5xx rate 38% (threshold 5%)", bot: true);
        await EditAsync(n, new IncidentEdit { CommanderId = Bob }, Alice);
        await SayAsync(n, Bob, "I'm taking IC. Seeing 502s from the checkout-api pods since 07:22");
        await SayAsync(n, Carol, "Deploy v2.14.0 of checkout-api went out at 07:20");
        await SayAsync(n, Bob, "Hypothesis: the new connection pool settings in v2.14.0 exhaust the connections");
        await SayAsync(n, Dave, "payments-api latency is normal");
        await SayAsync(n, Carol, "Restarted the checkout-api pods, no change");
        await SayAsync(n, Bob, "Connection pool max is 5 in the new config, it was 50");
        var rollBack = await SayAsync(n, Alice, "Should we roll back checkout-api?");
        await SayAsync(n, Carol, "yes, doing it now", inThreadOf: rollBack);
        await PostAsync(n, TimelineEntryKind.Action, "Rolled back checkout-api to v2.13.2", Carol);
        await SayAsync(n, DatadogBot, "[Datadog] RECOVERY: checkout-api 5xx rate 0.4%", bot: true);
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Stable, MitigationSummary = "Rolled back checkout-api to v2.13.2" }, Bob);
        Entries["checkout-root-cause"] = await SayAsync(n, Bob,
            "Root cause: v2.14.0 lowered the connection pool from 50 to 5, so checkout-api ran out of connections under peak load");
        await SayAsync(n, Erin, "Status page updated");
        await SayAsync(n, Carol, "We should add a CI check on connection pool sizes");
        await SayAsync(n, Dave, "Lesson: the deploy had no canary");
        await SayAsync(n, Alice, "thanks all");
        await SayAsync(n, Bob, "v2.14.1 with the pool back at 50 is deployed");
        await SayAsync(n, Erin, "👍");
        await ResolveAtAsync(n, new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), Bob, "Shipped v2.14.1 with the pool size back at 50");
    }

    private async Task WriteNovemberAsync()
    {
        SetClock(new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero));
        var cards = await DeclareAsync("Card payments declined by the acquirer", Severity.Sev2, ["payments-api"], Erin, "About 10% of card payments declined",
            impactStartedAt: new DateTimeOffset(2026, 11, 10, 7, 30, 0, TimeSpan.Zero));
        await SayAsync(cards, Erin, "acquirer returns 'do not honor' for Visa cards");
        await ResolveAtAsync(cards, new DateTimeOffset(2026, 11, 10, 10, 0, 0, TimeSpan.Zero), Erin, "The acquirer fixed their outage");

        SetClock(new DateTimeOffset(2026, 11, 12, 22, 0, 0, TimeSpan.Zero));
        var storm = await DeclareAsync("Orders database connection storm", Severity.Sev1, ["orders-db"], Dave,
            impactStartedAt: new DateTimeOffset(2026, 11, 12, 21, 40, 0, TimeSpan.Zero));
        await SayAsync(storm, Dave, "orders-db has 5000 connections, writes time out");
        Entries["restarted-database"] = await SayAsync(storm, Dave, "Restarted the orders database primary, connections back to normal");
        await ResolveAtAsync(storm, new DateTimeOffset(2026, 11, 12, 23, 0, 0, TimeSpan.Zero), Dave);

        SetClock(new DateTimeOffset(2026, 11, 17, 16, 0, 0, TimeSpan.Zero));
        var login = await DeclareAsync("Login page slow for EU users", Severity.Sev4, ["auth"], Carol);
        await SayAsync(login, Carol, "auth p95 is 2s in eu-west-1");
        SetClock(new DateTimeOffset(2026, 11, 17, 16, 40, 0, TimeSpan.Zero));
        await EditAsync(login, new IncidentEdit { Status = IncidentStatus.Stable }, Carol);
    }

    /// <summary>Today: the DDoS from 08:00, questions asked in Slack and over REST, and the payment timeouts from 09:15.</summary>
    private async Task WriteTodayAsync()
    {
        SetClock(new DateTimeOffset(2026, 11, 18, 8, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("DDoS attack on the edge load balancers", Severity.Sev1, ["edge-proxy", "cdn"], Alice,
            "Site unreachable for most customers in Europe");
        await SayAsync(n, DatadogBot, "[Datadog] ALERT: edge-proxy requests per second 40x baseline", bot: true);
        await SayAsync(n, Alice, "Traffic is coming from a botnet, mostly SYN flood");
        Entries["ddos-hypothesis"] = await SayAsync(n, Bob, "Hypothesis: the attack targets /search because it is not cached");
        var origin = await SayAsync(n, Dave, "Is the origin healthy?");
        await SayAsync(n, Carol, "origin CPU is at 30%", inThreadOf: origin);
        SetClock(new DateTimeOffset(2026, 11, 18, 9, 10, 0, TimeSpan.Zero));
        Entries["under-attack"] = await SayAsync(n, Bob, "Enabled the CDN's under-attack mode");
        await PostAsync(n, TimelineEntryKind.Update, "Do we need to tell the status page?", Erin);
        await SayAsync(n, Alice, "yes, posting it now");

        SetClock(new DateTimeOffset(2026, 11, 18, 9, 15, 0, TimeSpan.Zero));
        var payments = await DeclareAsync("Payment provider timeouts during checkout", Severity.Sev2, ["payments-api", "checkout-api"], Erin,
            "Some checkout payments time out");
        await SayAsync(payments, Erin, "Stripe API calls from payments-api time out after 10s");

        SetClock(new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.Zero));
        await PostAsync(n, TimelineEntryKind.Action, "Added rate limiting rules at 200 rps per IP", Carol);
        await PostAsync(n, TimelineEntryKind.Update, "Error rate is dropping, 20% of requests still time out", Alice);
        SetClock(new DateTimeOffset(2026, 11, 18, 9, 50, 0, TimeSpan.Zero));
        await PostAsync(n, TimelineEntryKind.Update, "Should we geo-block the three worst ASNs?", Bob);
        Entries["geo-block-question"] = await LastEntryAsync(n);
    }

    private async Task ResolveAtAsync(long number, DateTimeOffset at, string by, string? resolution = null)
    {
        SetClock(at);
        await EditAsync(number, new IncidentEdit { Status = IncidentStatus.Resolved, ResolutionSummary = resolution }, by);
    }

    private async Task<long> LastEntryAsync(long number) => (await Reader.GetTimelineAsync(number, new())).Last().Id;
}
