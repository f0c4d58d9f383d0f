using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Api;

/// <summary>Roles and follow-ups over REST, with the configured roles.</summary>
public sealed class FollowUpsApiTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private TestBot bot = null!;

    public async Task InitializeAsync() => bot = await TestBot.StartAsync(database.ConnectionString, clock, new Dictionary<string, string?>
    {
        ["Incidents:Roles:0:Name"] = "scribe",
        ["Incidents:Roles:0:Does"] = "Keeps the timeline.",
        ["Incidents:Roles:1:Name"] = "Customer Liaison",
        ["Incidents:Roles:1:Does"] = "Talks to the customers who reported it.",
    });

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task AConfiguredRoleIsGivenWithPutAndShownInTheIncidentsJson()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var response = await bot.Client.PutAsJsonAsync("/api/incidents/INC-1/roles/customer-liaison", new { userId = "U0CAROL" });

        var incident = await TestBot.ReadSuccessAsync(response);
        var role = Assert.Single(incident.GetProperty("roles").EnumerateArray());
        Assert.Equal("customer liaison", role.GetProperty("role").GetString());
        Assert.Equal("U0CAROL", role.GetProperty("userId").GetString());
        Assert.Equal("api", role.GetProperty("assignedBy").GetString());
        var read = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal("U0CAROL", read.GetProperty("roles")[0].GetProperty("userId").GetString());
    }

    [Fact]
    public async Task ARoleThatIsNotConfiguredIsA400NamingTheRoles()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var response = await bot.Client.PutAsJsonAsync("/api/incidents/INC-1/roles/comms%20lead", new { userId = "U0CAROL" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("'comms lead' is not a role; the roles are scribe, customer liaison (and commander).", problem.GetProperty("errors").GetProperty("role")[0].GetString());
    }

    [Fact]
    public async Task FollowUpsAreAddedListedAndClosedAndEachChangeIsOnTheTimeline()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var created = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/followups", new { text = "Add retries", ownerId = "U0BOB", dueOn = "2026-11-20" });
        await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/followups", new { text = "Write the runbook" });
        clock.Advance(TimeSpan.FromHours(2));
        var closed = await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1/followups/1", new { status = "done", actor = "U0BOB" });
        var list = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/followups"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/incidents/INC-1/followups/1", created.Headers.Location!.ToString());
        var done = await TestBot.ReadSuccessAsync(closed);
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(clock.GetUtcNow().UtcDateTime, done.GetProperty("doneAt").GetDateTime());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([1, 2], items.Select(i => i.GetProperty("id").GetInt32()));
        Assert.Equal(("U0BOB", "2026-11-20", "done"), (items[0].GetProperty("ownerId").GetString(), items[0].GetProperty("dueOn").GetString(), items[0].GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("ownerId").ValueKind);
        var timeline = (await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/timeline"))).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("type").GetString(), e.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("declared", "api"), ("followup_added", "api"), ("followup_added", "api"), ("followup_changed", "U0BOB")], timeline);
    }

    [Fact]
    public async Task ABadDateStatusOrMissingFollowUpIsA4xxNamingTheProblem()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });
        await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/followups", new { text = "Add retries" });

        var badDate = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/followups", new { text = "Add retries", dueOn = "next friday" });
        var badStatus = await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1/followups/1", new { status = "finished" });
        var noText = await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/followups", new { text = " " });
        var missing = await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1/followups/7", new { status = "done" });

        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("is not a valid dueOn; use a text: a day, yyyy-MM-dd", await badDate.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("open or done", await badStatus.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noText.StatusCode);
        Assert.Contains("Say what is to be done.", await noText.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("INC-1 has no follow-up 7.", await missing.Content.ReadAsStringAsync());
    }
}
