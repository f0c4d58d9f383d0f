using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Alerts;

/// <summary>What the rules decided for one alert.</summary>
/// <param name="Declares">False: the alert only attaches to an open incident that takes it, and declares nothing.</param>
/// <param name="Rule">The configured rule that matched, or <c>default</c>.</param>
public sealed record AlertDecision(Severity Severity, IReadOnlyList<string> Services, bool Declares, bool ResolvesIncident, string Rule);

/// <summary>
/// <c>Alerts:Rules</c> in order, the first match deciding, then the defaults: PagerDuty priority P1–P5 → SEV-1–5 and
/// urgency high without a priority → SEV-2; Alertmanager's <c>severity</c> label critical → SEV-1, error/high → SEV-2,
/// warning → SEV-3, info → SEV-4; a generic alert's own severity; otherwise UNKNOWN. Services come from the rule,
/// else from the source (Alertmanager's <c>service</c> label, else <c>job</c>). By default every alert may declare.
/// </summary>
public sealed class AlertRules(IOptions<AlertsOptions> options)
{
    public const string DefaultRule = "default";

    private readonly IReadOnlyList<AlertRule> rules = Compile(options.Value.Rules, out _);

    public AlertDecision Decide(Alert alert)
    {
        var rule = rules.FirstOrDefault(r => r.Matches(alert));
        var services = rule?.Services ?? DefaultServices(alert);
        return new AlertDecision(
            rule?.Severity ?? DefaultSeverity(alert),
            IncidentFieldRules.Services(services),
            rule?.Declares ?? true,
            rule?.ResolvesIncident ?? false,
            rule?.Name ?? DefaultRule);
    }

    /// <param name="error">The first rule that cannot work, said in one line naming its key; null when all can.</param>
    public static IReadOnlyList<AlertRule> Compile(IReadOnlyList<AlertRuleOptions> configured, out string? error)
    {
        error = null;
        var compiled = new List<AlertRule>();
        for (var i = 0; i < configured.Count && error is null; i++)
        {
            var key = $"{AlertsOptions.Section}:Rules:{i}";
            var options = configured[i];
            Severity? severity = null;
            if (Given(options.Severity) is { } text)
            {
                if (SeverityText.TryParse(text, out var parsed))
                {
                    severity = parsed;
                }
                else
                {
                    error = $"{key}:Severity '{text}' is not a severity; use {SeverityText.Accepted}.";
                }
            }

            var action = options.Action?.Trim().ToLowerInvariant() ?? AlertRuleOptions.Declare;
            if (action is not (AlertRuleOptions.Declare or AlertRuleOptions.Link))
            {
                error ??= $"{key}:Action must be '{AlertRuleOptions.Declare}' or '{AlertRuleOptions.Link}', not '{options.Action}'.";
            }

            if (options.Services is { } services && services.Any(string.IsNullOrWhiteSpace))
            {
                error ??= $"{key}:Services has an empty name.";
            }

            compiled.Add(new AlertRule(
                Given(options.Name) ?? $"rule {i}",
                Given(options.Source),
                options.Labels,
                Given(options.Priority),
                Given(options.Service),
                severity,
                options.Services,
                action == AlertRuleOptions.Declare,
                options.ResolveIncident));
        }

        return compiled;
    }

    /// <summary>A key written empty (or null in JSON) matches everything, as if it were left out.</summary>
    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Severity DefaultSeverity(Alert alert) => alert.Source switch
    {
        Alert.PagerDuty when alert.Priority is { } priority && PriorityLevel(priority) is { } level => level,
        Alert.PagerDuty when "high".Equals(alert.Label("urgency"), StringComparison.OrdinalIgnoreCase) => Severity.Sev2,
        Alert.Alertmanager => alert.Label("severity")?.Trim().ToLowerInvariant() switch
        {
            "critical" => Severity.Sev1,
            "error" or "high" => Severity.Sev2,
            "warning" => Severity.Sev3,
            "info" => Severity.Sev4,
            _ => Severity.Unknown,
        },
        _ => SeverityText.TryParse(alert.Label("severity"), out var severity) ? severity : Severity.Unknown,
    };

    /// <summary>PagerDuty's default priority names are P1 (highest) … P5.</summary>
    private static Severity? PriorityLevel(string priority) =>
        priority.Trim().ToUpperInvariant() switch
        {
            "P1" => Severity.Sev1,
            "P2" => Severity.Sev2,
            "P3" => Severity.Sev3,
            "P4" => Severity.Sev4,
            "P5" => Severity.Sev5,
            _ => null,
        };

    private static IReadOnlyList<string> DefaultServices(Alert alert) =>
        alert.Source == Alert.Alertmanager && (alert.Label("service") ?? alert.Label("job")) is { } service ? [service] : alert.Services;
}

/// <summary>One configured rule, checked at start.</summary>
public sealed record AlertRule(
    string Name,
    string? Source,
    IReadOnlyDictionary<string, string> Labels,
    string? Priority,
    string? Service,
    Severity? Severity,
    IReadOnlyList<string>? Services,
    bool Declares,
    bool ResolvesIncident)
{
    public bool Matches(Alert alert) =>
        (Source is null || Source.Equals(alert.Source, StringComparison.OrdinalIgnoreCase))
        && (Priority is null || Priority.Equals(alert.Priority, StringComparison.OrdinalIgnoreCase))
        && (Service is null || alert.Services.Concat(ServiceLabels(alert)).Any(s => Service.Equals(s, StringComparison.OrdinalIgnoreCase)))
        && Labels.All(label => label.Value.Equals(alert.Label(label.Key), StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> ServiceLabels(Alert alert) => new[] { alert.Label("service"), alert.Label("job") }.OfType<string>();
}
