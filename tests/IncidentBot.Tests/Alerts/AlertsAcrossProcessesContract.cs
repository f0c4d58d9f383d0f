using System.Net.Http.Json;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Alerts;

/// <summary>
/// Two bots on one database (two replicas on PostgreSQL, two processes on one SQLite file) receiving the same alert, or
/// two alerts of one service, at the same moment: dedupe and grouping must hold across them, not only inside one.
/// </summary>
public abstract class AlertsAcrossProcessesContract<TProvider> : IAsyncLifetime
    where TProvider : StorageProvider, new()
{
    // Each round races the two hosts once, on an alert (and a service) of its own.
    private const int Rounds = 15;

    private readonly TProvider storage = new();
    private readonly FakeTimeProvider clock = new(AlertTestBot.Start);
    private TestBot[] hosts = [];

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        var settings = new Dictionary<string, string?>(storage.Settings);
        foreach (var (key, value) in AlertTestBot.AllSourcesOn())
        {
            settings[key] = value;
        }

        var connectionString = settings["Storage:ConnectionString"]!;
        hosts = [await TestBot.StartAsync(connectionString, clock, settings), await TestBot.StartAsync(connectionString, clock, settings)];
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task OnePagerDutyIncidentDeliveredToBothAtOnceDeclaresOneIncident()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered", incidentId: $"PD{round}", service: $"pd-service-{round}");
            await RaceAsync(async host =>
            {
                using var client = host.AnonymousClient();
                return await client.SendAsync(AlertPayloads.PagerDutyRequest(body, AlertPayloads.Sign(body, AlertPayloads.PagerDutySecret)));
            });

            await AssertOneIncidentLinkingAsync($"pd-service-{round}", $"pagerduty:PD{round}");
        }
    }

    [SkippableFact]
    public async Task OneAlertmanagerNotificationDeliveredToBothAtOnceDeclaresOneIncident()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var notification = AlertPayloads.AlertmanagerNotification(
                "firing", AlertPayloads.AlertmanagerAlert($"fp{round:x8}", "CheckoutErrors", service: $"am-service-{round}"));
            await RaceAsync(host => host.Client.PostAsync("/api/alerts/alertmanager", AlertTestBot.Json(notification)));

            await AssertOneIncidentLinkingAsync($"am-service-{round}", $"alertmanager:fp{round:x8}");
        }
    }

    [SkippableFact]
    public async Task OneGenericAlertDeliveredToBothAtOnceDeclaresOneIncident()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var alert = GenericAlert($"rule-{round}", $"generic-service-{round}");
            await RaceAsync(host => host.Client.PostAsJsonAsync("/api/alerts", alert));

            await AssertOneIncidentLinkingAsync($"generic-service-{round}", $"grafana:rule-{round}");
        }
    }

    [SkippableFact]
    public async Task TwoAlertsOfOneServiceArrivingAtOnceJoinOneIncident()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var service = $"grouped-service-{round}";
            var alerts = new[] { GenericAlert($"first-{round}", service), GenericAlert($"second-{round}", service) };
            await RaceAsync(host => host.Client.PostAsJsonAsync("/api/alerts", alerts[Array.IndexOf(hosts, host)]));

            var incident = await AssertOneIncidentLinkingAsync(service, $"grafana:first-{round}");
            Assert.Single(incident.Links, link => link.Target == $"grafana:second-{round}");
        }
    }

    private static object GenericAlert(string id, string service) => new
    {
        source = "grafana",
        id,
        title = "Payments error budget burn",
        severity = "high",
        services = new[] { service },
        status = "firing",
    };

    /// <summary>Each host sends at the same moment, released together by a barrier; both must succeed.</summary>
    private async Task RaceAsync(Func<TestBot, Task<HttpResponseMessage>> send)
    {
        using var barrier = new Barrier(hosts.Length);
        var responses = await Task.WhenAll(hosts.Select(host => Task.Run(() =>
        {
            barrier.SignalAndWait();
            return send(host);
        })));
        foreach (var response in responses)
        {
            await TestBot.ReadSuccessAsync(response);
        }
    }

    /// <summary>The service has one incident, which links the alert once and says it was linked once.</summary>
    private async Task<Incident> AssertOneIncidentLinkingAsync(string service, string alertKey)
    {
        var reader = storage.Open().Reader;
        var incident = Assert.Single(await reader.FindAsync(new IncidentFilter { Services = [service] }));
        Assert.Single(incident.Links, link => link.Type == LinkType.Alert && link.Target == alertKey);
        var timeline = await reader.GetTimelineAsync(incident.Number, new());
        Assert.Single(timeline, entry => entry.Kind == TimelineEntryKind.ResourceLinked && entry.Data?["target"]?.GetValue<string>() == alertKey);
        Assert.DoesNotContain(timeline, entry => entry.Kind == TimelineEntryKind.AlertChanged);
        return incident;
    }
}

public sealed class SqliteAlertsAcrossProcessesTests : AlertsAcrossProcessesContract<SqliteStorage>;

public sealed class PostgresAlertsAcrossProcessesTests : AlertsAcrossProcessesContract<PostgresStorage>;
