namespace IncidentBot.DataBench;

/// <summary>One kind of failure: how its incidents are titled, which services it hits, and what responders write about it.</summary>
public sealed record FailureMode(
    string Key, int Weight, string[] Titles, string[] Services, string[] Symptoms, string[] Causes, string[] Actions, string[] Impacts);

/// <summary>
/// The words the generated history is written in: services, failure modes (DDoS, payments, checkout, search
/// latency, database failover, certificate expiry, DNS, deploy rollbacks …) and what responders say in a channel.
/// Placeholders: {svc}, {svc2}, {n}, {ver}, {region}, {db}, {host}, {person}, {team}.
/// </summary>
public static class IncidentVocabulary
{
    public static readonly string[] AllServices =
    [
        "payments-api", "checkout", "cart", "search", "auth", "edge", "api-gateway", "orders-db", "inventory", "notifications",
        "cdn", "dns", "k8s-cluster", "billing", "shipping", "recommendations", "identity", "kafka", "redis-cache", "web-frontend",
        "mobile-api", "fraud-detection", "ledger", "email", "reporting", "users-db",
    ];

    public static readonly string[] Regions = ["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-1", "EU", "US", "APAC", "Brazil"];
    public static readonly string[] Databases = ["orders-db", "users-db", "ledger-db", "inventory-db", "sessions-db"];
    public static readonly string[] Hosts = ["api.example.com", "pay.example.com", "login.example.com", "cdn.example.net", "internal-gw.corp"];
    public static readonly string[] Teams = ["payments", "platform", "SRE", "networking", "storage", "search", "identity", "frontend"];

    public static readonly FailureMode[] Modes =
    [
        new("ddos", 8,
            ["DDoS attack on {svc}", "SYN flood against the {svc}", "Layer-7 DDoS hitting login on {svc}", "Botnet traffic spike on {svc}", "UDP amplification attack on {svc}"],
            ["edge", "cdn", "api-gateway", "web-frontend", "auth"],
            ["requests per second at {n}x normal on {svc}", "WAF is blocking {n}k requests/min from a handful of ASNs", "origin CPU pegged behind the {svc}",
                "SYN backlog full on the {svc} load balancers", "traffic from {region} up {n}x, mostly bots"],
            ["root cause: volumetric DDoS from a botnet of about {n}k IPs", "it was a layer-7 attack on the login endpoint, not organic traffic"],
            ["enabled rate limiting on {svc}", "turned on under-attack mode at the CDN", "blocked the offending ASNs at the edge", "scaled the {svc} pool to {n} nodes"],
            ["Customers in {region} see timeouts on every page", "Login and checkout unreachable for most users"]),
        new("payments", 9,
            ["Card payments declined on {svc}", "Payment provider timeouts during checkout", "Refunds stuck in {svc}", "Elevated 5xx from {svc}", "Duplicate charges reported by customers"],
            ["payments-api", "billing", "ledger", "fraud-detection", "checkout"],
            ["payment authorisations failing at {n}% on {svc}", "provider returns 504 after 30 s", "{n} refunds stuck in pending", "5xx on POST /payments at {n}%"],
            ["root cause: the provider rotated their API key and our secret was stale", "root cause: connection pool to the provider exhausted after a config change"],
            ["failed over to the secondary payment provider", "restarted {svc} with a bigger connection pool", "replayed the stuck refunds"],
            ["About {n}% of card payments fail", "Customers are charged twice for some orders"]),
        new("checkout", 9,
            ["Checkout failing after deploy {ver}", "Customers unable to check out", "Cart totals wrong in checkout", "Checkout page blank on mobile"],
            ["checkout", "cart", "web-frontend", "payments-api", "mobile-api"],
            ["checkout conversion dropped {n}% in the last 15 minutes", "JS error on the checkout page: undefined total", "customers cannot check out, support has {n} tickets"],
            ["root cause: deploy {ver} shipped a migration that dropped a column checkout still reads", "the new cart service returned prices in cents"],
            ["rolled back {svc} to the previous release", "disabled the new-checkout feature flag", "purged the CDN cache for the checkout bundle"],
            ["Customers cannot complete purchases", "Orders drop to near zero on the web store"]),
        new("search", 6,
            ["Search latency p99 above {n} ms", "Search results empty for some queries", "Search index lagging behind the catalogue"],
            ["search", "recommendations", "kafka", "redis-cache"],
            ["search p99 at {n} ms, normally 120", "the indexer is {n} minutes behind", "empty results for queries with accents"],
            ["root cause: a hot shard after the reindex", "the cache was flushed by a bad deploy"],
            ["rebalanced the search shards", "warmed the cache by replaying top queries", "restarted the indexer"],
            ["Search is slow for everyone", "Some products cannot be found"]),
        new("dbfailover", 6,
            ["Database failover of {db}", "Primary {db} unreachable, replica promoted", "Replication lag on {db}"],
            ["orders-db", "users-db", "inventory", "ledger"],
            ["{db} primary stopped answering health checks", "replication lag {n} s on {db}", "connections to {db} refused"],
            ["root cause: the primary's disk controller failed", "a long-running migration held locks and the failover tripped"],
            ["promoted the replica of {db}", "pointed {svc} at the new primary", "killed the blocking query"],
            ["Writes fail for a few minutes", "Orders cannot be saved"]),
        new("certificate", 4,
            ["TLS certificate expired on {host}", "Certificate rotation broke {svc}", "mTLS handshake failures between {svc} and {svc2}"],
            ["api-gateway", "auth", "edge", "identity"],
            ["x509: certificate has expired on {host}", "handshake failures at {n}/s", "clients pinning the old intermediate"],
            ["root cause: the renewal job had been failing silently for 30 days", "the new chain is missing the intermediate"],
            ["renewed the certificate for {host} by hand", "rolled out the full chain", "added an expiry alert at 14 days"],
            ["API clients get TLS errors", "Mobile apps cannot connect"]),
        new("dns", 4,
            ["DNS resolution failures for {host}", "Internal DNS timeouts in {region}", "Wrong DNS record after migration"],
            ["dns", "k8s-cluster", "edge"],
            ["NXDOMAIN for {host} from some resolvers", "coredns p99 {n} ms", "SERVFAIL rate {n}%"],
            ["root cause: a TTL of 1 s overloaded coredns", "the zone transfer dropped a record"],
            ["scaled coredns to {n} replicas", "restored the record and lowered nothing else", "flushed resolver caches"],
            ["Some users cannot reach the site", "Services fail to talk to each other"]),
        new("deploy", 8,
            ["Rollback of {svc} {ver} after error spike", "Bad config push to {svc}", "Feature flag rollout broke {svc}"],
            ["web-frontend", "mobile-api", "checkout", "search", "auth", "inventory", "shipping", "notifications"],
            ["error rate on {svc} jumped to {n}% right after {ver}", "canary of {ver} failing health checks", "config push changed the timeout to 0"],
            ["root cause: {ver} had an untested code path for empty carts", "the config push was not validated"],
            ["rolled back {svc} to the previous version", "reverted the config push", "paused the deploy pipeline"],
            ["Errors for a part of the users", "A feature is unavailable"]),
        new("memory", 4,
            ["{svc} pods OOM-killed", "Memory leak in {svc}"],
            ["recommendations", "search", "api-gateway", "reporting", "notifications"],
            ["{svc} pods restarting every {n} minutes", "RSS climbs {n} MB per hour"],
            ["root cause: an unbounded cache in {svc}", "a library upgrade leaked connections"],
            ["raised the memory limit of {svc}", "rolled back the library upgrade", "restarted {svc} on a schedule until the fix"],
            ["Intermittent 502s", "Recommendations missing on product pages"]),
        new("queue", 4,
            ["Kafka consumer lag on orders topic", "Queue backlog in {svc}", "Notifications delayed by hours"],
            ["kafka", "notifications", "email", "shipping"],
            ["consumer lag {n}k messages", "emails delayed by {n} minutes", "dead-letter queue growing"],
            ["root cause: a poison message blocked the partition", "the consumer group rebalanced in a loop"],
            ["skipped the poison message", "added {n} consumers", "replayed the dead-letter queue"],
            ["Order confirmations arrive late", "Shipping labels delayed"]),
        new("login", 4,
            ["Login slow for {region} users", "SSO outage", "2FA codes not delivered"],
            ["auth", "identity", "notifications"],
            ["login p99 {n} ms in {region}", "SSO provider returns 500", "SMS provider queue at {n}k"],
            ["root cause: the session store in {region} ran out of connections", "the SMS provider throttled us"],
            ["moved sessions to the other cluster", "switched the SMS provider", "raised the connection limit"],
            ["Users cannot log in", "Logins take 20 s"]),
        new("disk", 2,
            ["Disk full on {db} primary", "Log volume filling on {svc} nodes"],
            ["orders-db", "users-db", "reporting", "k8s-cluster"],
            ["disk at {n}% on {db}", "log volume grows {n} GB/h"],
            ["root cause: log rotation was disabled by the image update", "a debug flag left on"],
            ["freed space by rotating logs", "grew the volume", "turned the debug flag off"],
            ["Writes may fail soon", "Reports are late"]),
        new("thirdparty", 3,
            ["Third-party shipping provider outage", "Email provider outage affecting {svc}", "Maps API quota exceeded"],
            ["shipping", "email", "payments-api", "web-frontend"],
            ["provider status page says degraded", "{n}% of calls to the provider time out"],
            ["root cause: the provider's own outage", "our quota was not raised after the sale"],
            ["switched to the fallback provider", "asked the provider for a quota increase", "queued the calls for retry"],
            ["Shipping estimates missing", "Emails not sent"]),
    ];

    /// <summary>What every channel hears, whatever broke.</summary>
    public static readonly string[] Chatter =
    [
        "anyone looking at the {svc} dashboards?", "I'm on it", "joining the bridge now", "paging the {team} on-call",
        "status page updated", "next update in 30 minutes", "error rate down to {n}%", "still seeing errors on {svc}",
        "can someone share a graph of {svc} p99?", "yes, confirmed on my side", "no, that one is unrelated", "support has {n} tickets about this",
        "deploy freeze in effect until this is resolved", "what changed in the last hour?", "I think it's the {svc} release from this morning",
        "checking logs on {svc}", "looks better now", "not yet, give it 5 minutes", "who owns {svc}?", "@{person} can you take comms?",
        "customers in {region} are affected too", "we'll write the postmortem tomorrow", "is {svc2} affected as well?",
        "trying a restart of {svc}", "maybe the connection pool? checking", "graphs attached", "thanks all", "holding steady for 15 minutes",
        "ran the runbook step 3", "rolling restart of {svc} in progress", "latency back to baseline", "I'll keep watching",
    ];

    public static readonly string[] Alerts =
    [
        "[FIRING] {svc} 5xx rate {n}% (threshold 2%)", "[FIRING] {svc} p99 latency {n} ms", "[RESOLVED] {svc} 5xx rate back under 2%",
        "[FIRING] {db} replication lag {n} s", "[FIRING] synthetic check checkout-flow failing from {region}",
    ];

    public static readonly string[] People = ["U0ALICE", "U0BOB", "U0CAROL", "U0DAVE", "U0ERIN", "U0FRANK", "U0GRACE", "U0HEIDI", "U0IVAN", "U0JUDY"];
}
