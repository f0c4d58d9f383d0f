using System.Text.Json.Serialization;
using IncidentBot.Incidents;

namespace IncidentBot.Alerts;

/// <summary>
/// Prometheus Alertmanager's webhook (<c>version</c> 4): one notification per group of alerts, each alert with its
/// own status, labels, annotations, times, fingerprint and the URL of the expression that fired it.
/// </summary>
public sealed record AlertmanagerNotification(
    string? Version,
    string? GroupKey,
    string? Status,
    string? Receiver,
    Dictionary<string, string>? GroupLabels,
    Dictionary<string, string>? CommonLabels,
    Dictionary<string, string>? CommonAnnotations,
    [property: JsonPropertyName("externalURL")] string? ExternalUrl,
    int? TruncatedAlerts,
    List<AlertmanagerAlert>? Alerts)
{
    public const string SupportedVersion = "4";

    /// <summary>The notification's alerts in the common shape, or the problems that keep them from being read.</summary>
    public (IReadOnlyList<Alert> Alerts, IReadOnlyDictionary<string, string[]> Errors) Read()
    {
        var errors = new Dictionary<string, string[]>();
        if (Version != SupportedVersion)
        {
            errors["version"] = [$"Alertmanager's webhook version {SupportedVersion} is expected, not '{Version}'."];
        }

        if (Alerts is not { Count: > 0 })
        {
            errors["alerts"] = ["The notification has no alerts."];
        }

        var alerts = new List<Alert>();
        for (var i = 0; i < (Alerts?.Count ?? 0); i++)
        {
            var alert = Alerts![i];
            if (string.IsNullOrWhiteSpace(alert.Fingerprint))
            {
                errors[$"alerts[{i}].fingerprint"] = ["Each alert needs its fingerprint: it is how a resolved alert finds its incident."];
            }
            else if (!AlertStatusText.TryParse(alert.Status, out var status))
            {
                errors[$"alerts[{i}].status"] = [$"'{alert.Status}' is not an alert status; Alertmanager sends firing or resolved."];
            }
            else
            {
                alerts.Add(alert.ToAlert(status, this));
            }
        }

        return (alerts, errors);
    }
}

public sealed record AlertmanagerAlert(
    string? Status,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    [property: JsonPropertyName("generatorURL")] string? GeneratorUrl,
    string? Fingerprint)
{
    public Alert ToAlert(AlertStatus status, AlertmanagerNotification notification)
    {
        var labels = Labels ?? [];
        var annotations = Annotations ?? [];
        var title = annotations.GetValueOrDefault("summary") ?? notification.CommonAnnotations?.GetValueOrDefault("summary")
            ?? labels.GetValueOrDefault("alertname") ?? Fingerprint!;
        return new Alert
        {
            Source = Alert.Alertmanager,
            Id = Fingerprint!.Trim(),
            Title = title,
            Status = status,
            StartedAt = Moment(StartsAt),
            // A firing alert's endsAt is when Alertmanager would give up on it, not when it ended.
            EndedAt = status == AlertStatus.Resolved ? Moment(EndsAt) : null,
            Url = Uri.TryCreate(GeneratorUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? GeneratorUrl : null,
            Labels = labels,
            Details = annotations.Count == 0 ? null : new System.Text.Json.Nodes.JsonObject(
                annotations.Select(a => KeyValuePair.Create(a.Key, (System.Text.Json.Nodes.JsonNode?)a.Value))),
        };
    }

    /// <summary>Alertmanager writes "no time" as the zero time, 0001-01-01T00:00:00Z.</summary>
    private static DateTimeOffset? Moment(DateTimeOffset? time) => time is { Year: > 1 } t ? t.ToUniversalTime() : null;
}
