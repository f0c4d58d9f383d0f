using System.Net.Http.Json;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Telemetry;

/// <summary><c>/metrics</c> of the real bot on Kestrel, scraped after traffic: the product's counters move where things happen.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task SlackTrafficCountsAcksCallsByMethodAndEvery429()
    {
        await using var bot = await SlackTestBot.StartAsync();
        bot.Slack.RateLimitNext("conversations.create", 1, retryAfterSeconds: 0);

        var number = await bot.DeclareAsync("Checkout API errors sev2");
        var channel = await bot.ChannelOfAsync(number);
        await bot.DrainAsync(number, channel.Id);
        using var scraper = bot.Bot.AnonymousClient();
        // The inbox marks work done just after it ran: the last message is in the timeline a moment before.
        var metrics = await SlackTestBot.EventuallyAsync(async () =>
            await PrometheusScrape.OfAsync(scraper) is var scrape && scrape.Value("incidentbot_slack_inbox_pending") == 0 ? scrape : null);

        Assert.Equal(1, metrics.Value("incidentbot_slack_acknowledged_total", ("type", "slash_command"), ("outcome", "answered")));
        Assert.True(metrics.Value("incidentbot_slack_acknowledged_total", ("type", "message"), ("outcome", "queued")) >= 1, metrics.Text);
        Assert.True(metrics.Value("incidentbot_slack_processing_lag_seconds_count", ("kind", "event")) >= 1, metrics.Text);
        Assert.Equal(1, metrics.Value("incidentbot_slack_api_rate_limited_total", ("method", "conversations.create")));
        Assert.Equal(1, metrics.Value("incidentbot_slack_api_calls_total", ("method", "conversations.create"), ("outcome", "ok")));
        Assert.True(metrics.Value("incidentbot_slack_api_calls_total", ("method", "chat.postMessage"), ("outcome", "ok")) >= 1, metrics.Text);
        Assert.Equal(1, metrics.Value("incidentbot_incidents_declared_total", ("severity", "SEV-2")));
        Assert.Equal(1, metrics.Value("incidentbot_incidents_open", ("severity", "SEV-2")));
    }

    [Fact]
    public async Task RestTrafficCountsStatusChangesAnswersAndRequests()
    {
        using var database = new TemporaryDatabase();
        await using var bot = await TestBot.StartAsync(database.ConnectionString);
        var incident = await bot.DeclareAsync(new { title = "Search latency", severity = "SEV-1" });
        var reference = incident.GetProperty("id").GetString();
        await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync($"/api/incidents/{reference}", new { status = "stable" }));
        await TestBot.ReadSuccessAsync(await bot.Client.PostAsJsonAsync("/api/ask", new { question = "how many incidents are currently ongoing?" }));

        using var scraper = bot.AnonymousClient();
        var metrics = await PrometheusScrape.OfAsync(scraper);

        Assert.Equal(1, metrics.Value("incidentbot_incidents_status_changes_total", ("from", "active"), ("to", "stable")));
        Assert.Equal(1, metrics.Value("incidentbot_incidents_open", ("severity", "SEV-1")));
        Assert.Equal(0, metrics.Value("incidentbot_incidents_open", ("severity", "SEV-3")));
        Assert.Equal(1, metrics.Value("incidentbot_assistant_answers_total", ("feature", "questions"), ("engine", "deterministic"), ("outcome", "answered")));
        Assert.Equal(1, metrics.Value("http_server_request_duration_seconds_count", ("http_route", "/api/incidents/{reference}"), ("http_request_method", "PATCH")));
        Assert.NotNull(metrics.Value("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task WithAnOtlpEndpointRequestsAreSentAsTracesAndTheCountersAsMetrics()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        using var database = new TemporaryDatabase();
        await using var bot = await TestBot.StartAsync(database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "incidentbot-otlp-test",
            // Exported at once rather than every 5 s (traces) and 60 s (metrics).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "50",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });

        await bot.DeclareAsync(new { title = "Traced declaration" });

        var traces = await collector.WaitForAsync("traces", "/api/incidents", TimeSpan.FromSeconds(30));
        Assert.Equal("application/x-protobuf", traces.ContentType);
        Assert.Contains("incidentbot-otlp-test", traces.Body);
        await collector.WaitForAsync("metrics", "incidentbot.incidents.declared", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task MetricsCanBeKeptBehindTheApiKey()
    {
        using var database = new TemporaryDatabase();
        await using var bot = await TestBot.StartAsync(database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Telemetry:MetricsRequireApiKey"] = "true",
        });

        using var anonymous = bot.AnonymousClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var scrape = await PrometheusScrape.OfAsync(bot.Client);
        Assert.True(scrape.Value("incidentbot_incidents_open", ("severity", "SEV-1")) is not null, scrape.Text);
    }
}

/// <summary>
/// OpenTelemetry listens to a meter by its name in the whole process, so a bot scraped here would count the traffic of
/// every other test's bot running at the same time: these tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Process-wide metrics";
}
