using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentBot.Tests.Alerts;

public sealed class GenericAlertTests : IAsyncLifetime
{
    private AlertTestBot alerts = null!;

    public async Task InitializeAsync() => alerts = await AlertTestBot.StartAsync();

    public async Task DisposeAsync() => await alerts.DisposeAsync();

    private static object Alert(string id = "grafana-rule-17", string status = "firing", string[]? services = null, string? startedAt = "PT15M") => new
    {
        source = "grafana",
        id,
        title = "Payments error budget burn",
        severity = "high",
        services = services ?? ["payments"],
        status,
        startedAt,
        url = "https://grafana.example.com/alerting/grafana/rule-17/view",
        details = new { team = "payments", value = 0.12 },
    };

    [Fact]
    public async Task AFiringAlertDeclaresAndTheSameAlertAgainAttachesToIt()
    {
        var first = await alerts.GenericAsync(Alert());
        var again = await alerts.GenericAsync(Alert());
        var resolved = await alerts.GenericAsync(Alert(status: "resolved"));

        Assert.Equal("declared", AlertTestBot.Outcome(first).GetProperty("outcome").GetString());
        Assert.Equal("unchanged", AlertTestBot.Outcome(again).GetProperty("outcome").GetString());
        Assert.Equal("updated", AlertTestBot.Outcome(resolved).GetProperty("outcome").GetString());
        Assert.Single(await alerts.IncidentsAsync());
        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("SEV-2", incident.GetProperty("severity").GetString());
        Assert.Equal("grafana", incident.GetProperty("declaredBy").GetString());
        Assert.Equal("2026-11-02T08:45:00Z", incident.GetProperty("impactStartedAt").GetString());
        var link = incident.GetProperty("links")[0];
        Assert.Equal("grafana:grafana-rule-17", link.GetProperty("targetId").GetString());
        Assert.Equal("resolved", link.GetProperty("alert").GetProperty("status").GetString());
        var linked = (await alerts.TimelineAsync(1)).Single(e => e.GetProperty("type").GetString() == "resource_linked");
        Assert.Equal("payments", linked.GetProperty("data").GetProperty("details").GetProperty("team").GetString());
    }

    [Fact]
    public async Task AnInvalidAlertIsA400NamingEachField()
    {
        var response = await alerts.Bot.Client.PostAsJsonAsync("/api/alerts", new
        {
            source = "Grafana Cloud",
            id = "",
            title = " ",
            status = "burning",
            severity = "sev9",
            startedAt = "yesterday",
            url = "ftp://grafana.example.com",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("lower case", errors.GetProperty("source")[0].GetString());
        Assert.Contains("id", errors.GetProperty("id")[0].GetString());
        Assert.Contains("title", errors.GetProperty("title")[0].GetString());
        Assert.Contains("firing or resolved", errors.GetProperty("status")[0].GetString());
        Assert.Contains("SEV-1", errors.GetProperty("severity")[0].GetString());
        Assert.Contains("ISO 8601", errors.GetProperty("startedAt")[0].GetString());
        Assert.Contains("http(s)", errors.GetProperty("url")[0].GetString());
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task AnUnknownFieldIsRefused()
    {
        var response = await alerts.Bot.Client.PostAsJsonAsync("/api/alerts", new { source = "grafana", id = "1", title = "t", status = "firing", sevrity = "high" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AlertsOfOneServiceWithinTheGroupWindowJoinOneIncident()
    {
        await alerts.GenericAsync(Alert(id: "a"));
        alerts.Clock.Advance(TimeSpan.FromMinutes(4));
        var sameService = await alerts.GenericAsync(Alert(id: "b"));
        var otherService = await alerts.GenericAsync(Alert(id: "c", services: ["search"]));
        alerts.Clock.Advance(TimeSpan.FromMinutes(4.5));
        var withinWindowOfTheLastAlert = await alerts.GenericAsync(Alert(id: "d"));
        alerts.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var afterTheWindow = await alerts.GenericAsync(Alert(id: "e"));

        Assert.Equal(("grouped", "INC-1"), Of(sameService));
        Assert.Equal(("declared", "INC-2"), Of(otherService));
        Assert.Equal(("grouped", "INC-1"), Of(withinWindowOfTheLastAlert));
        Assert.Equal(("declared", "INC-3"), Of(afterTheWindow));
        Assert.Equal(3, (await alerts.IncidentAsync(1)).GetProperty("links").GetArrayLength());
    }

    [Fact]
    public async Task AResolvedIncidentTakesNoMoreAlerts()
    {
        await alerts.GenericAsync(Alert(id: "a"));
        await alerts.Bot.Client.PatchAsJsonAsync("/api/incidents/1", new { status = "resolved" });

        var again = await alerts.GenericAsync(Alert(id: "a"));

        Assert.Equal(("declared", "INC-2"), Of(again));
    }

    [Fact]
    public async Task TwoDeliveriesOfOneAlertAtOnceDeclareOneIncident()
    {
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alerts.GenericAsync(Alert(services: []))));

        Assert.Single(await alerts.IncidentsAsync());
        Assert.Single(deliveries, d => AlertTestBot.Outcome(d).GetProperty("outcome").GetString() == "declared");
    }

    private static (string?, string?) Of(JsonElement response)
    {
        var outcome = AlertTestBot.Outcome(response);
        return (outcome.GetProperty("outcome").GetString(), outcome.GetProperty("incident").GetString());
    }
}
