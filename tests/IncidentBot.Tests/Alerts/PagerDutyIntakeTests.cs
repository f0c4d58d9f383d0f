using System.Net;
using System.Text.Json;

namespace IncidentBot.Tests.Alerts;

public sealed class PagerDutyIntakeTests : IAsyncLifetime
{
    private AlertTestBot alerts = null!;

    public async Task InitializeAsync() => alerts = await AlertTestBot.StartAsync();

    public async Task DisposeAsync() => await alerts.DisposeAsync();

    [Fact]
    public async Task ASignedTriggeredIncidentDeclaresAtItsPriorityLinkedWithItsUrlAndImpactStart()
    {
        var response = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.triggered", priority: "P2"));

        var outcome = AlertTestBot.Outcome(response);
        Assert.Equal("declared", outcome.GetProperty("outcome").GetString());
        Assert.Equal("pagerduty:PGR0VU2", outcome.GetProperty("alert").GetString());
        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("Checkout API returning 500 errors", incident.GetProperty("title").GetString());
        Assert.Equal("SEV-2", incident.GetProperty("severity").GetString());
        Assert.Equal(["checkout-api"], incident.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("pagerduty", incident.GetProperty("declaredBy").GetString());
        Assert.Equal("2026-11-02T08:50:00Z", incident.GetProperty("impactStartedAt").GetString());
        Assert.Equal(600, incident.GetProperty("timeToDetectSeconds").GetDouble());
        var link = Assert.Single(incident.GetProperty("links").EnumerateArray());
        Assert.Equal("alert", link.GetProperty("type").GetString());
        Assert.Equal("pagerduty:PGR0VU2", link.GetProperty("targetId").GetString());
        Assert.Equal("https://acme.pagerduty.com/incidents/PGR0VU2", link.GetProperty("url").GetString());
        Assert.Equal("firing", link.GetProperty("alert").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AWrongSignatureIsRefusedWith401AndNothingIsStored()
    {
        var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered");

        var wrong = await alerts.PagerDutyAsync(body, AlertPayloads.Sign(body, "not-the-secret-at-all"));
        var tampered = await alerts.PagerDutyAsync(body.Replace("P1", "P5"), AlertPayloads.Sign(body, AlertPayloads.PagerDutySecret));
        var missing = await alerts.PagerDutyAsync(body, null);
        var garbage = await alerts.PagerDutyAsync(body, "v1=zz, v0=abc");

        Assert.All([wrong, tampered, missing, garbage], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Contains("X-PagerDuty-Signature", await wrong.Content.ReadAsStringAsync());
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task AnUnsignedBodyIsRefusedBeforeItIsRead()
    {
        var response = await alerts.PagerDutyAsync("{ this is not json", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DuringARotationTheSecondSecretsSignatureIsAccepted()
    {
        var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered");
        var header = $"{AlertPayloads.Sign(body, "the-retired-secret-000000")},{AlertPayloads.Sign(body, AlertPayloads.RotatedPagerDutySecret)}";

        var response = await alerts.PagerDutyAsync(body, header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task LaterEventsOfTheSamePagerDutyIncidentAreTimelineEntriesOfOneIncident()
    {
        await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.triggered"));

        var acknowledged = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.acknowledged", status: "acknowledged"));
        await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyNoteEvent());
        await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.priority_updated", status: "acknowledged", priority: "P1"));
        var resolved = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.resolved", status: "resolved"));

        Assert.Equal("updated", AlertTestBot.Outcome(acknowledged).GetProperty("outcome").GetString());
        Assert.Equal("INC-1", AlertTestBot.Outcome(resolved).GetProperty("incident").GetString());
        Assert.Single(await alerts.IncidentsAsync());
        var texts = (await alerts.TimelineAsync(1)).Select(e => (Type: e.GetProperty("type").GetString(), Text: e.GetProperty("text").GetString())).ToList();
        Assert.Contains(("alert_changed", "Alert Checkout API returning 500 errors: acknowledged in PagerDuty by Tenex Engineer"), texts);
        Assert.Contains(("alert_changed", "Alert Checkout API returning 500 errors: PagerDuty note by Tenex Engineer: Rolling back v2.3.1"), texts);
        Assert.Contains(("alert_changed", "Alert Checkout API returning 500 errors: PagerDuty priority is now P1"), texts);
        Assert.Contains(("alert_changed", "Alert resolved: Checkout API returning 500 errors"), texts);
        Assert.Contains(texts, t => t.Text!.StartsWith("The linked alert has resolved.", StringComparison.Ordinal));
        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("active", incident.GetProperty("status").GetString());
        var alert = incident.GetProperty("links")[0].GetProperty("alert");
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("2026-11-02T08:55:12.169Z", alert.GetProperty("endedAt").GetString());
    }

    [Fact]
    public async Task ARepeatedDeliveryChangesNothing()
    {
        var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered");
        await alerts.SignedPagerDutyAsync(body);
        var entries = (await alerts.TimelineAsync(1)).Count;

        var again = await alerts.SignedPagerDutyAsync(body);

        Assert.Equal("unchanged", AlertTestBot.Outcome(again).GetProperty("outcome").GetString());
        Assert.Equal(entries, (await alerts.TimelineAsync(1)).Count);
    }

    [Fact]
    public async Task OtherEventTypesAreAnsweredWith2xxAndIgnored()
    {
        var response = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyServiceUpdated());

        Assert.Equal("service.updated", response.GetProperty("ignored").GetString());
        Assert.Equal(0, response.GetProperty("alerts").GetArrayLength());
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task ANoteOrAResolutionOfAnIncidentNobodyLinksDeclaresNothing()
    {
        var note = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyNoteEvent(incidentId: "PUNKNOWN"));
        var resolved = await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.resolved", incidentId: "PUNKNOWN", status: "resolved"));

        Assert.Equal("ignored", AlertTestBot.Outcome(note).GetProperty("outcome").GetString());
        Assert.Equal("ignored", AlertTestBot.Outcome(resolved).GetProperty("outcome").GetString());
        Assert.Empty(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task HighUrgencyWithoutAPriorityIsSev2()
    {
        await alerts.SignedPagerDutyAsync(AlertPayloads.PagerDutyIncidentEvent("incident.triggered", priority: null, urgency: "high"));

        Assert.Equal("SEV-2", (await alerts.IncidentAsync(1)).GetProperty("severity").GetString());
    }

    [Fact]
    public async Task APayloadThatIsSignedButNotAWebhookIsA400()
    {
        const string body = """{"messages":[]}""";

        var response = await alerts.PagerDutyAsync(body, AlertPayloads.Sign(body, AlertPayloads.PagerDutySecret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a PagerDuty v3 webhook payload", await response.Content.ReadAsStringAsync());
    }
}

public sealed class AlertSourcesOffTests
{
    [Fact]
    public async Task EachSourceIsOffUntilConfiguredAndSaysHowToTurnItOn()
    {
        await using var alerts = await AlertTestBot.StartAsync(new Dictionary<string, string?>());
        var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered");

        var pagerDuty = await alerts.PagerDutyAsync(body, AlertPayloads.Sign(body, AlertPayloads.PagerDutySecret));
        var alertmanager = await alerts.Bot.Client.PostAsync("/api/alerts/alertmanager",
            AlertTestBot.Json(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp1", "CheckoutErrors"))));
        var generic = await alerts.Bot.Client.PostAsync("/api/alerts",
            AlertTestBot.Json(new System.Text.Json.Nodes.JsonObject { ["source"] = "grafana", ["id"] = "1", ["title"] = "t", ["status"] = "firing" }));

        Assert.All([pagerDuty, alertmanager, generic], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("Alerts:PagerDuty:SigningSecrets", await pagerDuty.Content.ReadAsStringAsync());
        Assert.Contains("Alerts:Alertmanager:Enabled", await alertmanager.Content.ReadAsStringAsync());
        Assert.Contains("Alerts:Generic:Enabled", await generic.Content.ReadAsStringAsync());
        Assert.Empty(await alerts.IncidentsAsync());
    }
}
