using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Alerts;

/// <summary>What became of one alert of a delivery.</summary>
/// <param name="Outcome">
/// <c>declared</c>; <c>updated</c> or <c>unchanged</c> (an open incident links it already); <c>grouped</c> (joined an
/// open incident of its service); <c>not-declared</c> (its rule only links, and no open incident took it);
/// <c>ignored</c> (resolved, or a note, with no open incident linking it).
/// </param>
public sealed record AlertOutcome(string Alert, string Outcome, string? Incident, string Rule);

/// <summary>
/// Turns alerts into incidents through the core: an alert an open incident already links attaches to it (dedupe by
/// its key), a firing alert of a service joins an open incident of that service active within
/// <see cref="AlertsOptions.GroupWindow"/>, and otherwise its rule decides whether it declares one.
/// </summary>
/// <remarks>
/// A delivery is taken in one write of the core (<see cref="IncidentService.TakeAlertsAsync{T}"/>) that no intake of one
/// of its alerts or services overlaps, in any replica: the lookups and the declaration they lead to are one decision, so
/// the same alert delivered twice at once, or two alerts of one service, never declare two incidents.
/// </remarks>
public sealed class AlertIntake(IncidentService incidents, AlertRules rules, IOptions<AlertsOptions> options, ILogger<AlertIntake> logger)
{
    /// <summary>
    /// The alerts of one delivery, in order. One that would declare joins the incident an earlier alert of the same
    /// delivery declared: Alertmanager sends a group of alerts as one delivery.
    /// </summary>
    public async Task<IReadOnlyList<AlertOutcome>> ReceiveAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken = default)
    {
        var decided = alerts.Select(alert => alert with { Title = Fit(alert.Title) }).Select(alert => (Alert: alert, Decision: rules.Decide(alert))).ToList();
        var outcomes = await incidents.TakeAlertsAsync(
            decided.Select(d => d.Alert.Key).ToList(),
            decided.SelectMany(d => d.Decision.Services).ToList(),
            writes => ReceiveAllAsync(writes, decided, cancellationToken),
            cancellationToken);
        foreach (var outcome in outcomes)
        {
            logger.LogInformation("Alert {Alert}: {Outcome} {Incident} (rule {Rule})", outcome.Alert, outcome.Outcome, outcome.Incident, outcome.Rule);
        }

        return outcomes;
    }

    private async Task<IReadOnlyList<AlertOutcome>> ReceiveAllAsync(
        IncidentService.AlertWrites writes, IReadOnlyList<(Alert Alert, AlertDecision Decision)> alerts, CancellationToken cancellationToken)
    {
        var outcomes = new List<AlertOutcome>(alerts.Count);
        long? declaredHere = null;
        foreach (var (alert, decision) in alerts)
        {
            var (outcome, number) = await ReceiveOneAsync(writes, alert, decision, declaredHere, cancellationToken);
            declaredHere ??= outcome.Outcome == "declared" ? number : null;
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    private async Task<(AlertOutcome Outcome, long? Number)> ReceiveOneAsync(
        IncidentService.AlertWrites writes, Alert alert, AlertDecision decision, long? declaredHere, CancellationToken cancellationToken)
    {
        var report = alert.ToReport(decision);
        if (await FindLinkingAsync(writes, alert.Key, cancellationToken) is { } linked)
        {
            var update = await writes.ReportAsync(linked, report, alert.Source, cancellationToken);
            return (Outcome(alert, update.Changed ? "updated" : "unchanged", linked, decision), linked);
        }

        if (alert.Status != AlertStatus.Firing)
        {
            return (Outcome(alert, "ignored", null, decision), null);
        }

        if ((declaredHere ?? await FindGroupAsync(writes, decision.Services, cancellationToken)) is { } group)
        {
            await writes.ReportAsync(group, report, alert.Source, cancellationToken);
            return (Outcome(alert, "grouped", group, decision), group);
        }

        if (!decision.Declares)
        {
            return (Outcome(alert, "not-declared", null, decision), null);
        }

        var draft = new IncidentDraft { Title = alert.Title, Severity = decision.Severity, Services = decision.Services, DeclaredBy = alert.Source };
        var incident = await writes.DeclareAsync(draft, report, cancellationToken);
        return (Outcome(alert, "declared", incident.Number, decision), incident.Number);
    }

    private static async Task<long?> FindLinkingAsync(IncidentService.AlertWrites writes, string key, CancellationToken cancellationToken)
    {
        var filter = IncidentFilter.Open(limit: 1) with { LinkedTo = (LinkType.Alert, key) };
        return (await writes.FindAsync(filter, cancellationToken)).FirstOrDefault()?.Number;
    }

    /// <summary>The open incident of one of these services that was declared or last took an alert most recently, within the window.</summary>
    private async Task<long?> FindGroupAsync(IncidentService.AlertWrites writes, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var window = options.Value.GroupWindow;
        if (services.Count == 0 || window <= TimeSpan.Zero)
        {
            return null;
        }

        var since = writes.Now - window;
        var open = await writes.FindAsync(IncidentFilter.Open(limit: 50) with { Services = services }, cancellationToken);
        return open
            .Select(incident => (incident.Number, Active: incident.IntakeAlerts.Select(link => link.LinkedAt).Append(incident.DeclaredAt).Max()))
            .Where(candidate => candidate.Active >= since)
            .OrderByDescending(candidate => candidate.Active)
            .Select(candidate => (long?)candidate.Number)
            .FirstOrDefault();
    }

    /// <summary>Sources allow longer titles than an incident has; the link keeps the same shortened title.</summary>
    private static string Fit(string title)
    {
        var trimmed = title.Trim();
        return trimmed.Length <= IncidentFieldRules.MaxTitleLength ? trimmed : trimmed[..(IncidentFieldRules.MaxTitleLength - 1)] + "…";
    }

    private static AlertOutcome Outcome(Alert alert, string outcome, long? number, AlertDecision decision) =>
        new(alert.Key, outcome, number is { } n ? IncidentReference.Format(n) : null, decision.Rule);
}
