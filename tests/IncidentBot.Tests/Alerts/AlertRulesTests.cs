using IncidentBot.Alerts;
using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Tests.Alerts;

public sealed class AlertRulesTests
{
    private static AlertRules Rules(params AlertRuleOptions[] rules) => new(Options.Create(new AlertsOptions { Rules = [.. rules] }));

    private static Task<AlertTestBot> StartWithRuleAsync(params (string Key, string Value)[] rule)
    {
        var settings = AlertTestBot.AllSourcesOn();
        foreach (var (key, value) in rule)
        {
            settings[$"Alerts:Rules:0:{key}"] = value;
        }

        return AlertTestBot.StartAsync(settings);
    }

    private static Alert PagerDuty(string? priority, string urgency = "high") => new()
    {
        Source = Alert.PagerDuty,
        Id = "PGR0VU2",
        Title = "Checkout down",
        Status = AlertStatus.Firing,
        Priority = priority,
        Labels = new Dictionary<string, string> { ["urgency"] = urgency },
        Services = ["API Service"],
    };

    private static Alert Alertmanager(string? severity, params (string Name, string Value)[] labels)
    {
        var all = labels.ToDictionary(l => l.Name, l => l.Value);
        if (severity is not null)
        {
            all["severity"] = severity;
        }

        return new Alert { Source = Alert.Alertmanager, Id = "fp", Title = "t", Status = AlertStatus.Firing, Labels = all };
    }

    [Theory]
    [InlineData("P1", Severity.Sev1)]
    [InlineData("P2", Severity.Sev2)]
    [InlineData("P3", Severity.Sev3)]
    [InlineData("P4", Severity.Sev4)]
    [InlineData("p5", Severity.Sev5)]
    [InlineData(null, Severity.Sev2)]
    public void PagerDutyPriorityDecidesTheSeverityAndHighUrgencyWithoutOneIsSev2(string? priority, Severity expected)
    {
        var decision = Rules().Decide(PagerDuty(priority));

        Assert.Equal(expected, decision.Severity);
        Assert.True(decision.Declares);
        Assert.False(decision.ResolvesIncident);
        Assert.Equal(["api service"], decision.Services);
        Assert.Equal(AlertRules.DefaultRule, decision.Rule);
    }

    [Fact]
    public void LowUrgencyWithoutAPriorityIsUnknown() =>
        Assert.Equal(Severity.Unknown, Rules().Decide(PagerDuty(null, urgency: "low")).Severity);

    [Theory]
    [InlineData("critical", Severity.Sev1)]
    [InlineData("error", Severity.Sev2)]
    [InlineData("high", Severity.Sev2)]
    [InlineData("warning", Severity.Sev3)]
    [InlineData("info", Severity.Sev4)]
    [InlineData("page", Severity.Unknown)]
    [InlineData(null, Severity.Unknown)]
    public void AlertmanagersSeverityLabelDecidesTheSeverity(string? label, Severity expected) =>
        Assert.Equal(expected, Rules().Decide(Alertmanager(label)).Severity);

    [Fact]
    public void TheServiceLabelWinsOverTheJob()
    {
        Assert.Equal(["checkout-api"], Rules().Decide(Alertmanager("critical", ("service", "checkout-api"), ("job", "checkout"))).Services);
        Assert.Equal(["checkout"], Rules().Decide(Alertmanager("critical", ("job", "checkout"))).Services);
    }

    [Fact]
    public void TheFirstMatchingRuleDecidesAndTheDefaultsFillInWhatItLeavesOut()
    {
        var rules = Rules(
            new AlertRuleOptions { Name = "payments pages", Source = "alertmanager", Labels = new() { ["team"] = "payments" }, Severity = "sev1", Services = ["payments"] },
            new AlertRuleOptions { Name = "info only links", Source = "alertmanager", Labels = new() { ["severity"] = "info" }, Action = "link" },
            new AlertRuleOptions { Name = "search", Service = "search", ResolveIncident = true });

        var payments = rules.Decide(Alertmanager("warning", ("team", "payments"), ("service", "checkout-api")));
        var info = rules.Decide(Alertmanager("info", ("service", "checkout-api")));
        var search = rules.Decide(Alertmanager("warning", ("job", "search")));

        Assert.Equal((Severity.Sev1, "payments", "payments pages"), (payments.Severity, Assert.Single(payments.Services), payments.Rule));
        Assert.Equal((Severity.Sev4, false, "info only links"), (info.Severity, info.Declares, info.Rule));
        Assert.Equal(["checkout-api"], info.Services);
        Assert.True(search.ResolvesIncident);
        Assert.Equal(Severity.Sev3, search.Severity);
    }

    [Fact]
    public void APriorityRuleMatchesPagerDutysPriority()
    {
        var rules = Rules(new AlertRuleOptions { Source = "pagerduty", Priority = "P3", Action = "link" });

        Assert.False(rules.Decide(PagerDuty("P3")).Declares);
        Assert.True(rules.Decide(PagerDuty("P2")).Declares);
    }

    [Fact]
    public async Task ALinkOnlyRuleAttachesToAnOpenIncidentButDeclaresNothing()
    {
        await using var alerts = await StartWithRuleAsync(("Source", "alertmanager"), ("Labels:severity", "info"), ("Action", "link"));
        static System.Text.Json.Nodes.JsonObject Info() => AlertPayloads.AlertmanagerAlert("fp-info", "CheckoutSlow", severity: "info");

        var alone = await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", Info()));
        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-crit", "CheckoutErrors")));
        var joined = await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", Info()));

        Assert.Equal("not-declared", AlertTestBot.Outcome(alone).GetProperty("outcome").GetString());
        Assert.Equal("rule 0", AlertTestBot.Outcome(alone).GetProperty("rule").GetString());
        Assert.Equal("grouped", AlertTestBot.Outcome(joined).GetProperty("outcome").GetString());
        Assert.Single(await alerts.IncidentsAsync());
    }

    [Fact]
    public async Task ARuleThatSaysSoResolvesTheIncidentWhenEveryLinkedAlertHasResolved()
    {
        await using var alerts = await StartWithRuleAsync(("Name", "self-healing"), ("Service", "checkout-api"), ("ResolveIncident", "true"));

        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors")));
        await alerts.AlertmanagerAsync(AlertPayloads.AlertmanagerNotification("resolved", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors", status: "resolved")));

        var incident = await alerts.IncidentAsync(1);
        Assert.Equal("resolved", incident.GetProperty("status").GetString());
        Assert.Contains(await alerts.TimelineAsync(1), e => e.GetProperty("type").GetString() == "status_changed");
    }
}
