using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentBot.Tests.Alerts;

/// <summary>Deliveries as PagerDuty (Generic Webhooks v3) and Alertmanager (webhook version 4) send them.</summary>
internal static class AlertPayloads
{
    public const string PagerDutySecret = "pd-webhook-secret-current-0123";
    public const string RotatedPagerDutySecret = "pd-webhook-secret-next-456789";

    /// <summary>
    /// An incident event with <c>event.data</c> the PagerDuty incident, as in PagerDuty's v3 reference
    /// (service, assignees, escalation policy, teams, priority, urgency, conference bridge).
    /// </summary>
    public static string PagerDutyIncidentEvent(
        string eventType, string incidentId = "PGR0VU2", string status = "triggered", string? priority = "P1", string urgency = "high",
        string title = "Checkout API returning 500 errors", string createdAt = "2026-11-02T08:50:00Z", string occurredAt = "2026-11-02T08:55:12.169Z",
        string service = "checkout-api")
    {
        var payload = new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["event_type"] = eventType,
                ["resource_type"] = "incident",
                ["occurred_at"] = occurredAt,
                ["agent"] = new JsonObject
                {
                    ["html_url"] = "https://acme.pagerduty.com/users/PLH1HKV",
                    ["id"] = "PLH1HKV",
                    ["self"] = "https://api.pagerduty.com/users/PLH1HKV",
                    ["summary"] = "Tenex Engineer",
                    ["type"] = "user_reference",
                },
                ["client"] = new JsonObject { ["name"] = "PagerDuty" },
                ["data"] = new JsonObject
                {
                    ["id"] = incidentId,
                    ["type"] = "incident",
                    ["self"] = $"https://api.pagerduty.com/incidents/{incidentId}",
                    ["html_url"] = $"https://acme.pagerduty.com/incidents/{incidentId}",
                    ["number"] = 2,
                    ["status"] = status,
                    ["incident_key"] = "d3640fbd41094207a1c11e58e46b1662",
                    ["created_at"] = createdAt,
                    ["title"] = title,
                    ["service"] = new JsonObject
                    {
                        ["html_url"] = "https://acme.pagerduty.com/services/PF9KMXH",
                        ["id"] = "PF9KMXH",
                        ["self"] = "https://api.pagerduty.com/services/PF9KMXH",
                        ["summary"] = service,
                        ["type"] = "service_reference",
                    },
                    ["assignees"] = new JsonArray(new JsonObject
                    {
                        ["html_url"] = "https://acme.pagerduty.com/users/PTUXL6G",
                        ["id"] = "PTUXL6G",
                        ["self"] = "https://api.pagerduty.com/users/PTUXL6G",
                        ["summary"] = "User 123",
                        ["type"] = "user_reference",
                    }),
                    ["escalation_policy"] = new JsonObject
                    {
                        ["html_url"] = "https://acme.pagerduty.com/escalation_policies/PUS0KTE",
                        ["id"] = "PUS0KTE",
                        ["self"] = "https://api.pagerduty.com/escalation_policies/PUS0KTE",
                        ["summary"] = "Default",
                        ["type"] = "escalation_policy_reference",
                    },
                    ["teams"] = new JsonArray(new JsonObject
                    {
                        ["html_url"] = "https://acme.pagerduty.com/teams/PFCVPS0",
                        ["id"] = "PFCVPS0",
                        ["self"] = "https://api.pagerduty.com/teams/PFCVPS0",
                        ["summary"] = "Engineering",
                        ["type"] = "team_reference",
                    }),
                    ["priority"] = priority is null ? null : new JsonObject
                    {
                        ["html_url"] = "https://acme.pagerduty.com/account/incident_priorities",
                        ["id"] = "PSO75BM",
                        ["self"] = "https://api.pagerduty.com/priorities/PSO75BM",
                        ["summary"] = priority,
                        ["type"] = "priority_reference",
                    },
                    ["urgency"] = urgency,
                    ["conference_bridge"] = new JsonObject
                    {
                        ["conference_number"] = "+1 1234123412,,987654321#",
                        ["conference_url"] = "https://example.com",
                    },
                    ["resolve_reason"] = null,
                },
            },
        };
        return payload.ToJsonString();
    }

    /// <summary><c>incident.annotated</c>: <c>event.data</c> is the note, with a reference to its incident.</summary>
    public static string PagerDutyNoteEvent(string incidentId = "PGR0VU2", string content = "Rolling back v2.3.1")
    {
        var payload = new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["event_type"] = "incident.annotated",
                ["resource_type"] = "incident",
                ["occurred_at"] = "2026-11-02T08:58:00.000Z",
                ["agent"] = new JsonObject { ["id"] = "PLH1HKV", ["summary"] = "Tenex Engineer", ["type"] = "user_reference" },
                ["client"] = null,
                ["data"] = new JsonObject
                {
                    ["incident"] = new JsonObject
                    {
                        ["html_url"] = $"https://acme.pagerduty.com/incidents/{incidentId}",
                        ["id"] = incidentId,
                        ["self"] = $"https://api.pagerduty.com/incidents/{incidentId}",
                        ["summary"] = "Checkout API returning 500 errors",
                        ["type"] = "incident_reference",
                    },
                    ["id"] = "P2LA89X",
                    ["content"] = content,
                    ["trimmed"] = false,
                    ["type"] = "incident_note",
                },
            },
        };
        return payload.ToJsonString();
    }

    /// <summary>A PagerDuty-style <c>service.updated</c> event: not an incident event.</summary>
    public static string PagerDutyServiceUpdated() => """
        {"event":{"id":"01BRB6ZP4M6T8ZG4X6BP63ZB9O","event_type":"service.updated","resource_type":"service",
        "occurred_at":"2021-03-02T13:35:11.682Z","agent":null,"client":null,
        "data":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH",
        "summary":"testing service updates","alert_creation":"create_alerts_and_incidents","teams":[],"type":"service"}}}
        """;

    public static string Sign(string body, string secret) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static HttpRequestMessage PagerDutyRequest(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/pagerduty")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-PagerDuty-Signature", signature);
        }

        return request;
    }

    public static JsonObject AlertmanagerAlert(
        string fingerprint, string alertname, string status = "firing", string severity = "critical", string? service = "checkout-api",
        string startsAt = "2026-11-02T08:45:00Z", string endsAt = "0001-01-01T00:00:00Z", string? team = null)
    {
        var labels = new JsonObject { ["alertname"] = alertname, ["severity"] = severity, ["instance"] = "checkout-7f9c:9100", ["job"] = "checkout" };
        if (service is not null)
        {
            labels["service"] = service;
        }

        if (team is not null)
        {
            labels["team"] = team;
        }

        return new JsonObject
        {
            ["status"] = status,
            ["labels"] = labels,
            ["annotations"] = new JsonObject
            {
                ["summary"] = $"{alertname} on checkout-api",
                ["description"] = "5xx ratio above 5% for 5 minutes",
                ["runbook_url"] = "https://runbooks.example.com/checkout-5xx",
            },
            ["startsAt"] = startsAt,
            ["endsAt"] = endsAt,
            ["generatorURL"] = "http://prometheus.example.com:9090/graph?g0.expr=rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29&g0.tab=1",
            ["fingerprint"] = fingerprint,
        };
    }

    /// <summary>One notification of a group, as Alertmanager posts it to a webhook receiver.</summary>
    public static JsonObject AlertmanagerNotification(string status, params JsonObject[] alerts) => new()
    {
        ["version"] = "4",
        ["groupKey"] = "{}/{severity=\"critical\"}:{alertname=\"CheckoutErrors\"}",
        ["truncatedAlerts"] = 0,
        ["status"] = status,
        ["receiver"] = "incidentbot",
        ["groupLabels"] = new JsonObject { ["alertname"] = "CheckoutErrors" },
        ["commonLabels"] = new JsonObject { ["alertname"] = "CheckoutErrors", ["severity"] = "critical", ["service"] = "checkout-api" },
        ["commonAnnotations"] = new JsonObject { ["summary"] = "Checkout errors" },
        ["externalURL"] = "http://alertmanager.example.com:9093",
        ["alerts"] = new JsonArray([.. alerts]),
    };
}
