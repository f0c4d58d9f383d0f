using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

/// <summary>The assistant's endpoints over real HTTP, on a world of its own (drafting writes).</summary>
public sealed class AssistantApiTests : IAsyncLifetime
{
    private readonly IncidentWorld world = new();

    private HttpClient Client => world.Bot.Client;

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task TheSummarySaysWhatWasReadWhichEngineWroteItAndCitesEachLine()
    {
        var body = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/INC-{world.Checkout}/summary"));

        Assert.Equal("deterministic", body.GetProperty("engine").GetString());
        Assert.Equal("INC-7", body.GetProperty("incident").GetProperty("id").GetString());
        Assert.Equal("stable", body.GetProperty("incident").GetProperty("status").GetString());
        Assert.Equal(5400, body.GetProperty("durationSeconds").GetDouble());
        Assert.True(body.GetProperty("entriesRead").GetInt32() > 20);
        Assert.Equal(1, body.GetProperty("parts").GetInt32());
        Assert.Contains("Rolled back checkout-api", body.GetProperty("text").GetString());
        var question = Assert.Single(body.GetProperty("openQuestions").EnumerateArray());
        var source = Assert.Single(question.GetProperty("sources").EnumerateArray());
        Assert.Equal("INC-7", source.GetProperty("incident").GetString());
        Assert.Equal(world.CheckoutEntries["card-networks"], source.GetProperty("entryId").GetInt64());
        Assert.StartsWith("https://acme.slack.com/archives/", source.GetProperty("permalink").GetString());
        Assert.NotEmpty(body.GetProperty("citations").EnumerateArray());
    }

    [Fact]
    public async Task RelatedWithoutAQueryRanksTheIncidentsOpenInThePastTwoHours()
    {
        var body = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/{world.Checkout}/related"));

        var hits = body.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(["INC-8", "INC-9"], hits.Select(h => h.GetProperty("incident").GetProperty("id").GetString()));
        Assert.Contains(hits[0].GetProperty("reasons").EnumerateArray(), r => r.GetProperty("text").GetString() == "shares services: payments-api");
        Assert.Equal("2026-11-02T07:00:00Z", body.GetProperty("since").GetString());
    }

    [Fact]
    public async Task RelatedWithAQueryAndSinceSearchesThatTimeFrame()
    {
        var pastMonth = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/{world.Checkout}/related?q=DDOS%20attacks&since=P30D"));
        var allTime = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/{world.Checkout}/related?q=DDOS%20attacks"));

        Assert.Equal(["INC-4"], Ids(pastMonth.GetProperty("hits")));
        Assert.Equal(["INC-4", "INC-2"], Ids(allTime.GetProperty("hits")).Order().Reverse());
        var hit = pastMonth.GetProperty("hits")[0];
        Assert.Equal("resolved", hit.GetProperty("incident").GetProperty("status").GetString());
        Assert.Equal("SEV-2", hit.GetProperty("incident").GetProperty("severity").GetString());
        Assert.Equal("2026-10-25T03:00:00Z", hit.GetProperty("incident").GetProperty("declaredAt").GetString());
    }

    [Theory]
    [InlineData("%22")]
    [InlineData("NEAR(a%20b)")]
    [InlineData("*")]
    [InlineData("-")]
    [InlineData("%F0%9F%94%A5")]
    [InlineData("a%22%20OR%20%22b")]
    public async Task HostileQueriesAreAnsweredNotFailed(string q)
    {
        var response = await Client.GetAsync($"/api/incidents/{world.Checkout}/related?q={q}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task APostmortemOfAnActiveIncidentIsA409WithTheReason()
    {
        var response = await Client.PostAsync($"/api/incidents/{world.PaymentTimeouts}/postmortem", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INC-8 is active: a postmortem is drafted once the incident is resolved or completed.", problem.GetProperty("detail").GetString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task APostmortemOfAResolvedIncidentWithTooFewMessagesIsA409WithTheReason()
    {
        var response = await Client.PostAsync($"/api/incidents/{world.SearchLatency}/postmortem", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has 4 timeline messages; a postmortem draft needs at least 15", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APostmortemIsDraftedStoredListedLatestFirstAndRecordedInTheTimeline()
    {
        await TestBot.ReadSuccessAsync(await Client.PatchAsJsonAsync($"/api/incidents/{world.Checkout}", new { status = "resolved" }));

        var first = await Client.PostAsJsonAsync($"/api/incidents/{world.Checkout}/postmortem", new { actor = IncidentWorld.Carol });
        var second = await Client.PostAsync($"/api/incidents/{world.Checkout}/postmortem", null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"/api/incidents/INC-{world.Checkout}/postmortems", first.Headers.Location?.ToString());
        var draft = await TestBot.ReadSuccessAsync(first);
        Assert.Equal(1, draft.GetProperty("version").GetInt32());
        Assert.Equal(IncidentWorld.Carol, draft.GetProperty("createdBy").GetString());
        Assert.Equal("deterministic", draft.GetProperty("engine").GetString());
        Assert.Contains("## Lessons learned", draft.GetProperty("markdown").GetString());
        Assert.Equal(2, (await TestBot.ReadSuccessAsync(second)).GetProperty("version").GetInt32());

        var list = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/{world.Checkout}/postmortems"));
        Assert.Equal([2, 1], list.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("version").GetInt32()));
        Assert.Equal(["api", IncidentWorld.Carol], list.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("createdBy").GetString()));
        var timeline = await TestBot.ReadSuccessAsync(await Client.GetAsync($"/api/incidents/{world.Checkout}/timeline"));
        Assert.Equal(2, timeline.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "postmortem_drafted"));
    }

    [Fact]
    public async Task AskAnswersInPlainWordsWithTheIncidentsItCites()
    {
        var response = await Client.PostAsJsonAsync("/api/ask", new { question = "how many incidents are currently ongoing?" });

        var body = await TestBot.ReadSuccessAsync(response);
        Assert.Equal("count", body.GetProperty("kind").GetString());
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        Assert.Equal("deterministic", body.GetProperty("engine").GetString());
        Assert.Equal(["INC-9", "INC-8", "INC-7"], Ids(body.GetProperty("incidents")));
        Assert.Equal(3, body.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task WithoutSlackAnAnswerNamesPeopleByTheirId()
    {
        var body = await TestBot.ReadSuccessAsync(await Client.PostAsJsonAsync("/api/ask", new { question = $"who is the commander of INC-{world.Checkout}?" }));

        Assert.Contains($"is **@{SeededWorld.Alice}**", body.GetProperty("text").GetString());
        Assert.DoesNotContain("<@", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AskSaysWhetherItUnderstoodTheQuestion()
    {
        var counted = await TestBot.ReadSuccessAsync(await Client.PostAsJsonAsync("/api/ask", new { question = "how many sev1s this month" }));
        var unknown = await TestBot.ReadSuccessAsync(await Client.PostAsJsonAsync("/api/ask", new { question = "how many sev1s on the moon this month" }));

        Assert.True(counted.GetProperty("understood").GetBoolean());
        Assert.Equal(1, counted.GetProperty("count").GetInt32());
        Assert.Equal(["INC-7"], Ids(counted.GetProperty("incidents")));
        Assert.False(unknown.GetProperty("understood").GetBoolean());
        Assert.StartsWith("I did not understand “moon”", unknown.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("count").ValueKind);
    }

    [Fact]
    public async Task AskTakesTheIncidentTheQuestionIsAskedIn()
    {
        var body = await TestBot.ReadSuccessAsync(await Client.PostAsJsonAsync("/api/ask", new { question = "what was the root cause?", incident = "INC-7" }));

        Assert.Equal("root_cause", body.GetProperty("kind").GetString());
        Assert.Contains(body.GetProperty("citations").EnumerateArray(), c => c.GetProperty("entryId").GetInt64() == world.CheckoutEntries["root-cause"]);
    }

    [Fact]
    public async Task BadInputIsA400ThatNamesTheField()
    {
        var empty = await Client.PostAsJsonAsync("/api/ask", new { question = " " });
        var unknownField = await Client.PostAsJsonAsync("/api/ask", new { question = "hi", model = "gpt" });
        var badSince = await Client.GetAsync($"/api/incidents/{world.Checkout}/related?since=yesterday-ish");
        var badReference = await Client.GetAsync("/api/incidents/checkout/summary");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("question", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSince.StatusCode);
        Assert.Contains("since", await badSince.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badReference.StatusCode);
    }

    [Fact]
    public async Task AnUnknownIncidentIsA404Everywhere()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/incidents/INC-404/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/incidents/INC-404/related")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/incidents/INC-404/postmortem", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/incidents/INC-404/postmortems")).StatusCode);
    }

    [Fact]
    public async Task TheEndpointsNeedTheApiKey()
    {
        using var anonymous = world.Bot.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/incidents/{world.Checkout}/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/ask", new { question = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/incidents/{world.Checkout}/postmortem", null)).StatusCode);
    }

    private static IEnumerable<string?> Ids(JsonElement items) =>
        items.EnumerateArray().Select(i => i.TryGetProperty("incident", out var incident) ? incident.GetProperty("id").GetString() : i.GetProperty("id").GetString()).ToList();
}
