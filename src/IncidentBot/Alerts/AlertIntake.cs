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
/// Deliveries are taken one at a time, so a lookup and the declaration it leads to cannot interleave with another
/// delivery's: the same alert delivered twice at once, or two alerts of one service, never declare two incidents.
/// Alerts are few, and each takes one read and one write.
/// </remarks>
public sealed class AlertIntake(
    IncidentService incidents, IIncidentReader reader, AlertRules rules, IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertIntake> logger)
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    /// <summary>
    /// The alerts of one delivery, in order. One that would declare joins the incident an earlier alert of the same
    /// delivery declared: Alertmanager sends a group of alerts as one delivery.
    /// </summary>
    public async Task<IReadOnlyList<AlertOutcome>> ReceiveAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken = default)
    {
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var outcomes = new List<AlertOutcome>(alerts.Count);
            long? declaredHere = null;
            foreach (var alert in alerts)
            {
                var (outcome, number) = await ReceiveOneAsync(alert, declaredHere, cancellationToken);
                declaredHere ??= outcome.Outcome == "declared" ? number : null;
                logger.LogInformation("Alert {Alert}: {Outcome} {Incident} (rule {Rule})", outcome.Alert, outcome.Outcome, outcome.Incident, outcome.Rule);
                outcomes.Add(outcome);
            }

            return outcomes;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task<(AlertOutcome Outcome, long? Number)> ReceiveOneAsync(Alert alert, long? declaredHere, CancellationToken cancellationToken)
    {
        alert = alert with { Title = Fit(alert.Title) };
        var decision = rules.Decide(alert);
        var report = alert.ToReport(decision);
        if (await FindLinkingAsync(alert.Key, cancellationToken) is { } linked)
        {
            var update = await incidents.ReportAlertAsync(linked, report, alert.Source, cancellationToken);
            return (Outcome(alert, update.Changed ? "updated" : "unchanged", linked, decision), linked);
        }

        if (alert.Status != AlertStatus.Firing)
        {
            return (Outcome(alert, "ignored", null, decision), null);
        }

        if ((declaredHere ?? await FindGroupAsync(decision.Services, cancellationToken)) is { } group)
        {
            await incidents.ReportAlertAsync(group, report, alert.Source, cancellationToken);
            return (Outcome(alert, "grouped", group, decision), group);
        }

        if (!decision.Declares)
        {
            return (Outcome(alert, "not-declared", null, decision), null);
        }

        var draft = new IncidentDraft { Title = alert.Title, Severity = decision.Severity, Services = decision.Services, DeclaredBy = alert.Source };
        var incident = await incidents.DeclareForAlertAsync(draft, report, cancellationToken);
        return (Outcome(alert, "declared", incident.Number, decision), incident.Number);
    }

    private async Task<long?> FindLinkingAsync(string key, CancellationToken cancellationToken)
    {
        var filter = IncidentFilter.Open(limit: 1) with { LinkedTo = (LinkType.Alert, key) };
        return (await reader.FindAsync(filter, cancellationToken)).FirstOrDefault()?.Number;
    }

    /// <summary>The open incident of one of these services that was declared or last took an alert most recently, within the window.</summary>
    private async Task<long?> FindGroupAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var window = options.Value.GroupWindow;
        if (services.Count == 0 || window <= TimeSpan.Zero)
        {
            return null;
        }

        var since = time.GetUtcNow() - window;
        var open = await reader.FindAsync(IncidentFilter.Open(limit: 50) with { Services = services }, cancellationToken);
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
