using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

/// <summary>
/// A running IncidentBot with a history of incidents written the way responders write them: alerts,
/// hypotheses, a rollback, questions (answered and not), follow-ups. Messages go through
/// <see cref="IncidentService.RecordMessageAsync"/> as the Slack side stores them, state changes through
/// <see cref="IncidentService"/> too. The clock ends at <see cref="Now"/> (2026-11-02 09:00 UTC). On SQLite;
/// <see cref="PostgresIncidentWorld"/> is the same world on PostgreSQL.
/// </summary>
public class IncidentWorld : SeededWorld
{
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public IncidentWorld()
        : this(new SqliteStorage())
    {
    }

    protected IncidentWorld(StorageProvider storage)
        : base(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), storage)
    {
    }

    /// <summary>INC-1: refunds stuck, payments-api, 2026-09-01, resolved. Outside "the past month".</summary>
    public long RefundsStuck { get; private set; }

    /// <summary>INC-2: DDoS on the edge, SEV-1, 2026-09-15, resolved. Outside "the past month".</summary>
    public long EdgeDdos { get; private set; }

    /// <summary>INC-3: search latency, SEV-3, 2026-10-20, resolved, four messages.</summary>
    public long SearchLatency { get; private set; }

    /// <summary>INC-4: SYN flood DDoS against the API gateway, SEV-2, 2026-10-25, resolved.</summary>
    public long GatewayDdos { get; private set; }

    /// <summary>INC-5: card payments declined, payments-api, SEV-2, 2026-10-28, resolved.</summary>
    public long CardsDeclined { get; private set; }

    /// <summary>INC-6: orders database failover, SEV-1, 2026-10-29, resolved.</summary>
    public long OrdersFailover { get; private set; }

    /// <summary>INC-7: checkout failing after a deploy, SEV-1, since 07:30 today; rolled back, now stable; one open question.</summary>
    public long Checkout { get; private set; }

    /// <summary>INC-8: payment provider timeouts during checkout, payments-api, SEV-2, active since 08:20.</summary>
    public long PaymentTimeouts { get; private set; }

    /// <summary>INC-9: login slow for EU users, auth, SEV-3, active since 08:30.</summary>
    public long LoginSlow { get; private set; }

    /// <summary>Timeline entry ids of INC-7 messages worth pointing at.</summary>
    public Dictionary<string, long> CheckoutEntries { get; } = [];

    protected override async Task SeedAsync()
    {
        RefundsStuck = await WriteRefundsStuckAsync();
        EdgeDdos = await WriteEdgeDdosAsync();
        SearchLatency = await WriteSearchLatencyAsync();
        GatewayDdos = await WriteGatewayDdosAsync();
        CardsDeclined = await WriteCardsDeclinedAsync();
        OrdersFailover = await WriteOrdersFailoverAsync();
        await WriteTodayAsync();
        Assert.Equal(Now, Clock.GetUtcNow());
    }

    private async Task<long> WriteRefundsStuckAsync()
    {
        var n = await DeclareAsync("Refunds stuck in pending", Severity.Sev3, ["payments-api"], Bob, "Refunds are delayed by up to a day");
        await SayAsync(n, Bob, "refund worker queue depth is 12k and growing");
        await SayAsync(n, Carol, "worker pods are crash looping on a bad migration");
        await PostAsync(n, TimelineEntryKind.Action, "Restarted refund workers after reverting the migration", Carol);
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved, ResolutionSummary = "Reverted the refunds migration" }, Bob);
        return n;
    }

    private async Task<long> WriteEdgeDdosAsync()
    {
        SetClock(new DateTimeOffset(2026, 9, 15, 14, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("DDoS attack on the edge load balancers", Severity.Sev1, ["edge-proxy", "cdn"], Alice,
            "Site unreachable for most customers in Europe");
        await SayAsync(n, DatadogBot, "[Datadog] ALERT: edge-proxy requests per second 40x baseline, 70% of customers see timeouts", bot: true);
        await SayAsync(n, Alice, "Traffic is coming from a botnet, mostly SYN flood and HTTP GET floods on /search");
        await SayAsync(n, Bob, "Investigating the WAF logs, top source ASNs are residential");
        await SayAsync(n, Carol, "Enabled the CDN's under-attack mode");
        await SayAsync(n, Bob, "Added rate limiting rules at 200 rps per IP");
        await SayAsync(n, Dave, "Is the origin still healthy?");
        await SayAsync(n, Carol, "yes, origin CPU is at 30%");
        await SayAsync(n, Alice, "Error rate dropping, 20% of requests still time out");
        await SayAsync(n, Bob, "Geo-blocked the three ASNs with most attack traffic");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Stable, MitigationSummary = "Under-attack mode, rate limits and geo-blocks at the CDN" }, Alice);
        await SayAsync(n, Alice, "Attack traffic has stopped, keeping the rules for 24h");
        await SayAsync(n, Erin, "Status page updated");
        await SayAsync(n, Bob, "We should add an alert on SYN rate at the load balancers");
        await SayAsync(n, Alice, "Lesson: the under-attack mode runbook was out of date");
        await SayAsync(n, Carol, "Root cause: volumetric DDoS from a rented botnet, no vulnerability involved");
        await SayAsync(n, Dave, "thanks all");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved }, Alice);
        return n;
    }

    private async Task<long> WriteSearchLatencyAsync()
    {
        SetClock(new DateTimeOffset(2026, 10, 20, 14, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("Search results slow: search-api p99 latency above 3 s", Severity.Sev3, ["search-api"], Dave);
        await SayAsync(n, Dave, "search-api p99 is 3.4s, elasticsearch cluster is yellow");
        await SayAsync(n, Erin, "one data node ran out of disk, shards relocating");
        await SayAsync(n, Erin, "Added disk to the data node, cluster green again");
        await SayAsync(n, Dave, "p99 back to 300ms");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved }, Dave);
        return n;
    }

    private async Task<long> WriteGatewayDdosAsync()
    {
        SetClock(new DateTimeOffset(2026, 10, 25, 3, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("SYN flood DDoS against the API gateway", Severity.Sev2, ["edge-proxy", "api-gateway"], Carol);
        await SayAsync(n, DatadogBot, "[Datadog] ALERT: api-gateway SYN backlog full", bot: true);
        await SayAsync(n, Carol, "Looks like the same botnet as last month, attack on the api gateway");
        await SayAsync(n, Bob, "Turned on SYN cookies and the scrubbing service");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved }, Carol);
        return n;
    }

    private async Task<long> WriteCardsDeclinedAsync()
    {
        SetClock(new DateTimeOffset(2026, 10, 28, 8, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("Card payments declined by the acquirer", Severity.Sev2, ["payments-api"], Erin,
            "About 10% of card payments declined");
        await SayAsync(n, Erin, "acquirer returns 'do not honor' for Visa cards");
        await SayAsync(n, Bob, "the acquirer confirmed an outage on their side");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved, ResolutionSummary = "Acquirer fixed their outage" }, Erin);
        return n;
    }

    private async Task<long> WriteOrdersFailoverAsync()
    {
        SetClock(new DateTimeOffset(2026, 10, 29, 22, 0, 0, TimeSpan.Zero));
        var n = await DeclareAsync("Orders database primary failover", Severity.Sev1, ["orders-db"], Dave);
        await SayAsync(n, Dave, "primary orders-db node lost its disk, replica promoted");
        await SayAsync(n, Erin, "orders writes failing for 4 minutes during the failover");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved }, Dave);
        return n;
    }

    /// <summary>Today, 07:30 to 09:00: the checkout incident, and two others that start while it runs.</summary>
    private async Task WriteTodayAsync()
    {
        SetClock(new DateTimeOffset(2026, 11, 2, 7, 30, 0, TimeSpan.Zero));
        var n = Checkout = await DeclareAsync("Checkout failing: 502s from checkout-api after deploy", Severity.Sev2, ["checkout-api", "payments-api"], Alice);
        await SayAsync(n, DatadogBot, "[Datadog] ALERT: checkout-api 5xx rate 38% (threshold 5%), customers cannot complete checkout", bot: true);
        var onCall = await SayAsync(n, Alice, "I'm taking IC. Who's on call for checkout?");
        await SayAsync(n, Bob, "me, on it", inThreadOf: onCall);
        await SayAsync(n, Bob, "Seeing 502s from the checkout-api pods, it started around 07:22");
        await SayAsync(n, Carol, "Deploy v2.14.0 of checkout-api went out at 07:20");
        await SayAsync(n, Alice, "joining the bridge");
        await EditAsync(n, new IncidentEdit { Severity = Severity.Sev1, CustomerImpact = "About 38% of checkout attempts fail with a 502" }, Alice);
        await SayAsync(n, Bob, "Hypothesis: the new connection pool settings in v2.14.0 exhaust the connections to payments-api");
        await SayAsync(n, Alice, "Support says customers are unable to pay, 40 tickets so far");
        await PostAsync(n, TimelineEntryKind.Update, "Checkout failing for about 38% of attempts; suspecting deploy v2.14.0", Alice);
        await SayAsync(n, Dave, "checking the payments-api dashboards, latency is normal there");
        await SayAsync(n, Bob, "Connection pool max is 5 in the new config, it was 50");
        await SayAsync(n, Erin, "+1");
        var rollBack = await SayAsync(n, Alice, "Should we roll back?");
        CheckoutEntries["should-we-roll-back"] = rollBack;
        await SayAsync(n, Carol, "yes, rolling back checkout-api to v2.13.2 now");
        await SayAsync(n, Dave, "ack");
        await PostAsync(n, TimelineEntryKind.Action, "Rolled back checkout-api to v2.13.2", Carol);
        CheckoutEntries["rollback"] = (await Reader.GetTimelineAsync(n, new TimelineQuery())).Last(e => e.Kind == TimelineEntryKind.Action).Id;
        await SayAsync(n, DatadogBot, "[Datadog] RECOVERY: checkout-api 5xx rate 0.4%", bot: true);
        await SayAsync(n, Bob, "error rate is back to normal, no more 502s");
        await EditAsync(n, new IncidentEdit { Status = IncidentStatus.Stable, MitigationSummary = "Rolled back checkout-api to v2.13.2" }, Alice);
        await SayAsync(n, Alice, "thanks all, keeping this open while we confirm");
        CheckoutEntries["card-networks"] = await SayAsync(n, Dave, "Do we need to notify the card networks about the failed payments?");
        await SayAsync(n, Erin, "I'll draft the status page update");
        CheckoutEntries["root-cause"] = await SayAsync(n, Bob,
            "Root cause: v2.14.0 lowered the connection pool from 50 to 5, so checkout-api ran out of connections under peak load");
        await SayAsync(n, Carol, "We should add a CI check on connection pool sizes");
        await SayAsync(n, Erin, "👍");
        await SayAsync(n, Alice, "ok");
        await SayAsync(n, Carol, "deploy freeze for checkout-api until the CI check lands");

        SetClock(new DateTimeOffset(2026, 11, 2, 8, 20, 0, TimeSpan.Zero));
        PaymentTimeouts = await DeclareAsync("Payment provider timeouts during checkout", Severity.Sev2, ["payments-api"], Erin,
            "Some checkout payments time out");
        await SayAsync(PaymentTimeouts, Erin, "Stripe API calls from payments-api time out after 10s");
        await SayAsync(PaymentTimeouts, Dave, "could be related to the checkout connection pool problem");

        SetClock(new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.Zero));
        LoginSlow = await DeclareAsync("Login page slow for EU users", Severity.Sev3, ["auth"], Dave);
        await SayAsync(LoginSlow, Dave, "auth p95 is 2s in eu-west-1");

        SetClock(new DateTimeOffset(2026, 11, 2, 8, 50, 0, TimeSpan.Zero));
        CheckoutEntries["monitoring"] = await SayAsync(Checkout, Bob, "monitoring the error rates for the next 30 minutes");
        SetClock(Now);
    }
}

public sealed class PostgresIncidentWorld() : IncidentWorld(new PostgresStorage());
