using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Api;

public sealed class IncidentsApiTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private TestBot bot = null!;

    public async Task InitializeAsync() => bot = await TestBot.StartAsync(database.ConnectionString, clock);

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task DeclaringAnIncidentReturns201WithItsReferenceStatusAndLocation()
    {
        var response = await bot.Client.PostAsJsonAsync("/api/incidents", new
        {
            title = "Payment processing failures",
            severity = "SEV1",
            status = "declared",
            services = new[] { "payment-service", "checkout-api" },
            environment = "production",
            description = "Stripe webhook processing failing since 14:32 UTC.",
            declaredBy = "api",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await TestBot.ReadSuccessAsync(response);
        Assert.Equal("INC-1", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("number").GetInt64());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("SEV-1", body.GetProperty("severity").GetString());
        Assert.Equal("2026-11-02T09:00:00Z", body.GetProperty("createdAt").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("channel").ValueKind);
        Assert.Equal("/api/incidents/INC-1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task NumbersFollowOneGlobalSequence()
    {
        var first = await bot.DeclareAsync(new { title = "First" });
        var second = await bot.DeclareAsync(new { title = "Second" });

        Assert.Equal("INC-1", first.GetProperty("id").GetString());
        Assert.Equal("INC-2", second.GetProperty("id").GetString());
        Assert.Equal("UNKNOWN", first.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task AnIncidentIsFoundByEveryWayOfWritingItsReference()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "high" });

        foreach (var reference in new[] { "INC-1", "inc-1", "incident-1", "%231", "1" })
        {
            var body = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents/{reference}"));
            Assert.Equal("Checkout down", body.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task TheTimelineStartsWithTheDeclaration()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "sev 2", declaredBy = "U024BE7LH" });

        var timeline = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/timeline"));

        var entry = Assert.Single(timeline.GetProperty("items").EnumerateArray());
        Assert.Equal("declared", entry.GetProperty("type").GetString());
        Assert.Equal("U024BE7LH", entry.GetProperty("actor").GetString());
        Assert.Contains("Checkout down", entry.GetProperty("text").GetString());
        Assert.Equal("SEV-2", entry.GetProperty("data").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task ListFiltersByStatusWithAliasesAndOpen()
    {
        await bot.DeclareAsync(new { title = "A" });
        await bot.DeclareAsync(new { title = "B" });
        await bot.DeclareAsync(new { title = "C" });
        await Patch("INC-2", new { status = "mitigated" });
        await Patch("INC-3", new { status = "closed" });

        Assert.Equal(["INC-1"], await ListIds("status=active"));
        Assert.Equal(["INC-2"], await ListIds("status=stable"));
        Assert.Equal(["INC-3"], await ListIds("status=fixed"));
        Assert.Equal(["INC-2", "INC-1"], await ListIds("status=open"));
        Assert.Equal(["INC-3", "INC-2"], await ListIds("status=stable,resolved"));
    }

    [Fact]
    public async Task ListFiltersBySeverityAndService()
    {
        await bot.DeclareAsync(new { title = "A", severity = "sev1", services = new[] { "payments" } });
        await bot.DeclareAsync(new { title = "B", severity = "sev2", services = new[] { "search" } });
        await bot.DeclareAsync(new { title = "C", severity = "critical", services = new[] { "Search", "payments" } });

        Assert.Equal(["INC-3", "INC-1"], await ListIds("severity=SEV-1"));
        Assert.Equal(["INC-3", "INC-2", "INC-1"], await ListIds("severity=1,2"));
        Assert.Equal(["INC-3", "INC-2"], await ListIds("service=SEARCH"));
        Assert.Equal(["INC-3"], await ListIds("service=search&severity=sev1&status=active&since=2026-11-01T00:00:00Z"));
        Assert.Empty(await ListIds("service=billing"));
    }

    [Fact]
    public async Task ListFiltersByWhenIncidentsWereDeclared()
    {
        await bot.DeclareAsync(new { title = "Early" });
        clock.Advance(TimeSpan.FromDays(3));
        await bot.DeclareAsync(new { title = "Later" });
        clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(["INC-2"], await ListIds("since=2026-11-03T00:00:00Z"));
        Assert.Equal(["INC-1"], await ListIds("until=2026-11-03T00:00:00Z"));
        Assert.Equal(["INC-2"], await ListIds("since=P4D"));
        Assert.Empty(await ListIds("since=2026-11-02T10:00:00Z&until=2026-11-05T00:00:00Z"));
    }

    [Fact]
    public async Task ListPagesThroughEveryIncidentWithTheCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await bot.DeclareAsync(new { title = $"Incident {i}" });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["INC-5", "INC-4", "INC-3", "INC-2", "INC-1"], seen);
    }

    [Fact]
    public async Task PatchChangesFieldsAndRecordsEachChangeInTheTimeline()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "sev3" });
        clock.Advance(TimeSpan.FromMinutes(30));

        var body = await Patch("INC-1", new
        {
            status = "stable",
            severity = "sev2",
            commanderId = "<@U012AB3CD|alice>",
            impact = "30% of checkouts fail",
            mitigationSummary = "Rolled back to v2.3.0.",
            addServices = new[] { "checkout-api" },
        });

        Assert.Equal("stable", body.GetProperty("status").GetString());
        Assert.Equal("SEV-2", body.GetProperty("severity").GetString());
        Assert.Equal("U012AB3CD", body.GetProperty("commanderId").GetString());
        Assert.Equal("30% of checkouts fail", body.GetProperty("impact").GetString());
        Assert.Equal("2026-11-02T09:30:00Z", body.GetProperty("stableAt").GetString());
        Assert.Equal(["checkout-api"], body.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        var types = await TimelineTypes("INC-1");
        Assert.Equal(["declared", "status_changed", "severity_changed", "commander_changed", "details_changed", "details_changed", "services_changed"], types);
    }

    [Fact]
    public async Task ResolvingSetsResolvedAtAndTimeToResolve()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });
        clock.Advance(TimeSpan.FromMinutes(90));

        var body = await Patch("INC-1", new { status = "resolved", resolutionSummary = "Fixed null check in v2.3.2." });

        Assert.Equal("2026-11-02T10:30:00Z", body.GetProperty("resolvedAt").GetString());
        Assert.Equal(5400, body.GetProperty("timeToResolveSeconds").GetDouble());
        Assert.Equal("Fixed null check in v2.3.2.", body.GetProperty("resolutionSummary").GetString());
    }

    [Fact]
    public async Task APatchThatChangesNothingKeepsTheVersionAndTheTimeline()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "sev2" });

        var body = await Patch("INC-1", new { severity = "SEV-2", status = "active" });

        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.Equal(["declared"], await TimelineTypes("INC-1"));
    }

    [Fact]
    public async Task IfMatchWithAnOldVersionIsRefusedAndChangesNothing()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });
        var read = await bot.Client.GetAsync("/api/incidents/INC-1");
        var etag = read.Headers.ETag!.Tag;
        await Patch("INC-1", new { severity = "sev1" });

        var stale = new HttpRequestMessage(HttpMethod.Patch, "/api/incidents/INC-1") { Content = JsonContent.Create(new { severity = "sev4" }) };
        stale.Headers.IfMatch.ParseAdd(etag);
        var response = await bot.Client.SendAsync(stale);

        await AssertProblem(response, HttpStatusCode.PreconditionFailed, "version");
        var current = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal("SEV-1", current.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task PostedUpdatesAppearInTheTimelineInOrder()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });
        clock.Advance(TimeSpan.FromMinutes(1));
        var posted = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "Identified bad deploy v2.3.1.", type = "update" });
        clock.Advance(TimeSpan.FromMinutes(1));
        await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "Rolling back to v2.3.0.", type = "action" });
        await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "Error rates at baseline." });

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var timeline = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/timeline"));
        var items = timeline.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["declared", "update", "action", "update"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("Rolling back to v2.3.0.", items[2].GetProperty("text").GetString());
        Assert.Equal("2026-11-02T09:02:00Z", items[2].GetProperty("occurredAt").GetString());
    }

    [Fact]
    public async Task TheTimelinePagesWithItsCursor()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });
        for (var i = 0; i < 4; i++)
        {
            await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = $"step {i}" });
        }

        var texts = new List<string>();
        string? cursor = null;
        do
        {
            var page = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents/INC-1/timeline?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"));
            texts.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, texts.Count);
        Assert.Equal(["step 0", "step 1", "step 2", "step 3"], texts.Skip(1));
    }

    [Fact]
    public async Task TimelinePostsOfOtherTypesAreRefused()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        await AssertProblem(
            await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "x", type = "status_changed" }),
            HttpStatusCode.BadRequest,
            "update, action or resolution");
        await AssertProblem(
            await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "x", type = "note" }),
            HttpStatusCode.BadRequest,
            "type");
        await AssertProblem(
            await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "  " }),
            HttpStatusCode.BadRequest,
            "empty");
    }

    [Fact]
    public async Task LinksAreKeptAndADuplicateIsAConflict()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var created = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "alert", targetId = "alert_event_xyz789" });
        await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "deploy", targetId = "https://ci.example.com/deploys/231" });
        var duplicate = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "alert", targetId = "alert_event_xyz789" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await AssertProblem(duplicate, HttpStatusCode.Conflict, "already links");
        var incident = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
        var links = incident.GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(["alert", "deploy"], links.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal("https://ci.example.com/deploys/231", links[1].GetProperty("targetId").GetString());
        Assert.Equal(["declared", "resource_linked", "resource_linked"], await TimelineTypes("INC-1"));
    }

    [Fact]
    public async Task ALinkOfAnUnknownTypeIsRefused()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var response = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "ticket", targetId = "JIRA-1" });

        await AssertProblem(response, HttpStatusCode.BadRequest, "alert, error, trace or deploy");
    }

    [Fact]
    public async Task StatsGiveMttrCountsAndTopServicesOverTheWindow()
    {
        await bot.DeclareAsync(new { title = "A", severity = "sev1", services = new[] { "payments", "checkout" } });
        await bot.DeclareAsync(new { title = "B", severity = "sev2", services = new[] { "payments" } });
        await bot.DeclareAsync(new { title = "C", severity = "sev2", services = new[] { "search" } });
        clock.Advance(TimeSpan.FromHours(1));
        await Patch("INC-1", new { status = "resolved" });
        clock.Advance(TimeSpan.FromHours(2));
        await Patch("INC-2", new { status = "completed" });
        await Patch("INC-3", new { status = "stable" });

        var stats = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/stats?since=2026-11-01T00:00:00Z"));

        Assert.Equal(3, stats.GetProperty("total").GetInt32());
        Assert.Equal(1, stats.GetProperty("open").GetInt32());
        Assert.Equal(7200, stats.GetProperty("mttrSeconds").GetDouble());
        Assert.Equal("PT2H", stats.GetProperty("mttr").GetString());
        Assert.Equal(1, stats.GetProperty("bySeverity").GetProperty("SEV-1").GetInt32());
        Assert.Equal(2, stats.GetProperty("bySeverity").GetProperty("SEV-2").GetInt32());
        Assert.Equal(1, stats.GetProperty("byStatus").GetProperty("completed").GetInt32());
        Assert.Equal(3600, stats.GetProperty("mttrSecondsBySeverity").GetProperty("SEV-1").GetDouble());
        var top = stats.GetProperty("topServices").EnumerateArray().ToList();
        Assert.Equal("payments", top[0].GetProperty("service").GetString());
        Assert.Equal(2, top[0].GetProperty("incidents").GetInt32());
    }

    [Fact]
    public async Task StatsCountOnlyIncidentsDeclaredInTheWindow()
    {
        await bot.DeclareAsync(new { title = "Old" });
        clock.Advance(TimeSpan.FromDays(40));
        await bot.DeclareAsync(new { title = "New" });

        var lastMonth = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/stats"));
        var both = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/stats?since=P60D"));

        Assert.Equal(1, lastMonth.GetProperty("total").GetInt32());
        Assert.Equal(2, both.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, lastMonth.GetProperty("mttrSeconds").ValueKind);
    }

    [Fact]
    public async Task ConcurrentChangesToOneIncidentAreAllKept()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var writes = Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { addServices = new[] { $"service-{i}" } }),
            bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = $"update {i}" }),
        });
        var responses = await Task.WhenAll(writes);

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        var incident = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal(20, incident.GetProperty("services").GetArrayLength());
        Assert.Equal(41, incident.GetProperty("version").GetInt64());
        var timeline = await TimelineTypes("INC-1");
        Assert.Equal(20, timeline.Count(t => t == "services_changed"));
        Assert.Equal(20, timeline.Count(t => t == "update"));
    }

    [Fact]
    public async Task ARequestWithoutAKeyIsUnauthorizedWithAProblem()
    {
        using var anonymous = bot.AnonymousClient();

        var response = await anonymous.GetAsync("/api/incidents");

        await AssertProblem(response, HttpStatusCode.Unauthorized, "Authorization: Bearer");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AWrongKeyIsUnauthorizedAndNothingIsStored()
    {
        using var intruder = bot.AnonymousClient();
        intruder.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key-0123456789");

        var response = await intruder.PostAsJsonAsync("/api/incidents", new { title = "Forged" });

        await AssertProblem(response, HttpStatusCode.Unauthorized, "not valid");
        var list = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents"));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AnUnauthenticatedRequestIsRefusedBeforeItsBodyIsRead()
    {
        using var anonymous = bot.AnonymousClient();

        var response = await anonymous.PostAsync("/api/incidents", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task HealthAndReadinessNeedNoKey()
    {
        using var anonymous = bot.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var ready = await TestBot.ReadSuccessAsync(await anonymous.GetAsync("/readyz"));
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnUnknownIncidentIsNotFound()
    {
        await AssertProblem(await bot.Client.GetAsync("/api/incidents/INC-404"), HttpStatusCode.NotFound, "INC-404 does not exist");
        await AssertProblem(await Send(HttpMethod.Patch, "/api/incidents/404", "{\"severity\":\"sev1\"}"), HttpStatusCode.NotFound, "INC-404");
        await AssertProblem(await bot.Client.GetAsync("/api/incidents/404/timeline"), HttpStatusCode.NotFound, "INC-404");
        await AssertProblem(await bot.Client.PostAsJsonAsync("/api/incidents/404/timeline", new { message = "x" }), HttpStatusCode.NotFound, "INC-404");
    }

    [Fact]
    public async Task AReferenceThatIsNotOneIsABadRequest()
    {
        await AssertProblem(await bot.Client.GetAsync("/api/incidents/INC-abc"), HttpStatusCode.BadRequest, "not an incident reference");
    }

    [Theory]
    [InlineData("{\"title\": \"Checkout down\",", "not the JSON")]
    [InlineData("{\"title\": 5}", "not the JSON")]
    [InlineData("[]", "not the JSON")]
    [InlineData("{\"title\": \"x\", \"severty\": \"sev1\"}", "severty")]
    [InlineData("{\"title\": \"x\", \"severity\": \"sev9\"}", "severity")]
    [InlineData("{\"title\": \"x\", \"status\": \"paused\"}", "status")]
    [InlineData("{\"severity\": \"sev1\"}", "title is required")]
    [InlineData("{\"title\": \"x\", \"services\": [\"a,b\"]}", "service")]
    public async Task ABadDeclarationIsABadRequestAndStoresNothing(string body, string expected)
    {
        var response = await Send(HttpMethod.Post, "/api/incidents", body);

        await AssertProblem(response, HttpStatusCode.BadRequest, expected);
        var list = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents"));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ABadPatchNamesTheFieldAndChangesNothing()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "sev3" });

        var response = await Send(HttpMethod.Patch, "/api/incidents/INC-1", "{\"severity\": \"sev1\", \"status\": \"sleeping\"}");

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "sleeping");
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        var incident = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal("SEV-3", incident.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task BadListFiltersAreBadRequests()
    {
        await AssertProblem(await bot.Client.GetAsync("/api/incidents?status=sleeping"), HttpStatusCode.BadRequest, "status");
        await AssertProblem(await bot.Client.GetAsync("/api/incidents?severity=sev7"), HttpStatusCode.BadRequest, "severity");
        await AssertProblem(await bot.Client.GetAsync("/api/incidents?since=yesterday"), HttpStatusCode.BadRequest, "ISO 8601");
        await AssertProblem(await bot.Client.GetAsync("/api/incidents?limit=0"), HttpStatusCode.BadRequest, "limit");
        await AssertProblem(await bot.Client.GetAsync("/api/incidents?limit=ten"), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task AnOversizedBodyIsRefused()
    {
        var huge = JsonSerializer.Serialize(new { title = "x", description = new string('a', 2 * 1024 * 1024) });

        var response = await Send(HttpMethod.Post, "/api/incidents", huge);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "too large");
    }

    [Fact]
    public async Task AnOverlongFieldIsABadRequest()
    {
        var response = await bot.Client.PostAsJsonAsync("/api/incidents", new { title = new string('t', 201) });

        await AssertProblem(response, HttpStatusCode.BadRequest, "at most 200");
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string json) =>
        await bot.Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    private async Task<JsonElement> Patch(string reference, object body) =>
        await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync($"/api/incidents/{reference}", body));

    private async Task<List<string>> ListIds(string query)
    {
        var page = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents?{query}"));
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    private async Task<List<string>> TimelineTypes(string reference)
    {
        var page = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents/{reference}/timeline"));
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!).ToList();
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return problem;
    }
}
