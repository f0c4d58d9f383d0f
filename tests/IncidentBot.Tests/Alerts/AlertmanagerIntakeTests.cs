using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentBot.Tests.Alerts;

public sealed class AlertmanagerIntakeTests : IAsyncLifetime
{
    private AlertTestBot alerts = null!;

    public async Task InitializeAsync() => alerts = await AlertTestBot.StartAsync();

    public async Task DisposeAsync() => await alerts.DisposeAsync();

    [Fact]
    public async Task AGroupFiringDeclaresOneIncidentAndItsResolutionIsSaidWithoutResolvingIt()
    {
        var firing = await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing",
            AlertPayloads.AlertmanagerAlert("3f2a9c1d0b7e6a54", "CheckoutErrors", startsAt: "2026-11-02T08:45:00Z"),
            AlertPayloads.AlertmanagerAlert("8c41e7b2a9d05f36", "CheckoutLatency", startsAt: "2026-11-02T08:47:30Z")));

        Assert.Equal(["declared", "grouped"], firing.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("SEV-1", incident.GetProperty("severity").GetString());
        Assert.Equal("CheckoutErrors on checkout-api", incident.GetProperty("title").GetString());
        Assert.Equal(["checkout-api"], incident.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("2026-11-02T08:45:00Z", incident.GetProperty("impactStartedAt").GetString());
        var links = incident.GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(["alertmanager:3f2a9c1d0b7e6a54", "alertmanager:8c41e7b2a9d05f36"], links.Select(l => l.GetProperty("targetId").GetString()));
        Assert.All(links, l => Assert.StartsWith("http://prometheus.example.com:9090/graph", l.GetProperty("url").GetString()));

        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing",
            AlertPayloads.AlertmanagerAlert("3f2a9c1d0b7e6a54", "CheckoutErrors", status: "resolved", endsAt: "2026-11-02T08:58:00Z"),
            AlertPayloads.AlertmanagerAlert("8c41e7b2a9d05f36", "CheckoutLatency")));
        var resolved = await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("resolved",
            AlertPayloads.AlertmanagerAlert("3f2a9c1d0b7e6a54", "CheckoutErrors", status: "resolved", endsAt: "2026-11-02T08:58:00Z"),
            AlertPayloads.AlertmanagerAlert("8c41e7b2a9d05f36", "CheckoutLatency", status: "resolved", endsAt: "2026-11-02T08:59:00Z")));

        Assert.Equal(["unchanged", "updated"], resolved.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        var timeline = await alerts.TimelineAsync(1);
        var alertEntries = timeline.Where(e => e.GetProperty("type").GetString() == "alert_changed").Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(
            [
                "Alert resolved: CheckoutErrors on checkout-api",
                "Alert resolved: CheckoutLatency on checkout-api",
                "All 2 linked alerts have resolved. Resolve the incident when the service is healthy again.",
            ],
            alertEntries);
        Assert.Equal("active", (await alerts.IncidentAsync(1)).GetProperty("status").GetString());
        Assert.Single(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task AnAlertThatFiresAgainIsSaidOnTheSameIncident()
    {
        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors")));
        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("resolved", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors", status: "resolved")));

        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors")));

        var texts = (await alerts.TimelineAsync(1)).Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains("Alert firing again: CheckoutErrors on checkout-api", texts);
        Assert.Single(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task TheEndpointNeedsAnApiKey()
    {
        using var anonymous = alerts.Bot.AnonymousClient();

        var response = await anonymous.PostAsync("/api/alerts/alertmanager",
            AlertTestBot.Json(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors"))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task AnotherWebhookVersionOrAnAlertWithoutFingerprintIsA400NamingTheField()
    {
        var notification = AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors"));
        notification["version"] = "3";
        notification["alerts"]![0]!.AsObject().Remove("fingerprint");

        var response = await alerts.Bot.Client.PostAsync("/api/alerts/alertmanager", AlertTestBot.Json(notification));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("version 4", problem.GetProperty("errors").GetProperty("version")[0].GetString());
        Assert.Contains("fingerprint", problem.GetProperty("errors").GetProperty("alerts[0].fingerprint")[0].GetString());
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task DefaultSeveritiesFollowTheSeverityLabelAndServicesTheJobWhenThereIsNoServiceLabel()
    {
        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing",
            AlertPayloads.AlertmanagerAlert("fp-warn", "DiskFilling", severity: "warning", service: null)));

        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("SEV-3", incident.GetProperty("severity").GetString());
        Assert.Equal(["checkout"], incident.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
    }
}
