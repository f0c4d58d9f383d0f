using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using IncidentBot.Api;
using IncidentBot.Incidents;

namespace IncidentBot.Alerts;

/// <summary>An alert from anything else (Grafana, Datadog monitors, a script), in IncidentBot's own shape.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record GenericAlertRequest(
    string? Source,
    string? Id,
    string? Title,
    string? Status,
    string? Severity = null,
    string[]? Services = null,
    string? StartedAt = null,
    string? Url = null,
    JsonObject? Details = null)
{
    public const int MaxIdLength = 200;

    /// <summary>The alert in the common shape; every problem of the request is said at once, field by field.</summary>
    /// <exception cref="IncidentValidationException">Something is missing or wrong.</exception>
    internal Alert ToAlert(DateTimeOffset now)
    {
        var errors = new RequestErrors();
        if (Source is null || !SourceName().IsMatch(Source))
        {
            errors.Add("source", "Name the sender in lower case, e.g. grafana or datadog: letters, digits, '.', '_' or '-', at most 40.");
        }

        if (string.IsNullOrWhiteSpace(Id) || Id.Trim().Length > MaxIdLength)
        {
            errors.Add("id", $"Give the alert's id at the sender, the same for each delivery of it, at most {MaxIdLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            errors.Add("title", "Give the alert a title: it becomes the incident's title.");
        }

        if (Status is null)
        {
            errors.Add("status", "Say whether the alert is firing or resolved.");
        }

        var status = errors.Parse<AlertStatus>(Status, "status", AlertStatusText.TryParse, "firing or resolved");
        var severity = errors.Parse<Severity>(Severity, "severity", SeverityText.TryParse, SeverityText.Accepted);
        var startedAt = errors.ParseTime(StartedAt, "startedAt", now);
        if (Url is not null && !(Uri.TryCreate(Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            errors.Add("url", "The url must be an http(s) URL where people can see the alert.");
        }

        errors.ThrowIfAny();
        return new Alert
        {
            Source = Source!,
            Id = Id!.Trim(),
            Title = Title!,
            Status = status,
            StartedAt = startedAt,
            EndedAt = status == AlertStatus.Resolved ? now : null,
            Url = Url,
            Labels = Labels(severity),
            Services = Services ?? [],
            Details = Details,
        };
    }

    /// <summary>The details' text values, and the severity as given, are what rules match as labels.</summary>
    private Dictionary<string, string> Labels(Severity? severity)
    {
        var labels = (Details ?? [])
            .Where(d => d.Value is JsonValue value && value.TryGetValue<string>(out _))
            .ToDictionary(d => d.Key, d => d.Value!.GetValue<string>());
        if (severity is not null)
        {
            labels["severity"] = Severity!;
        }

        return labels;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex SourceName();
}
