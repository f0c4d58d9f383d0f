namespace IncidentBot.Alerts;

/// <summary>The <c>Alerts</c> section: which sources are on, the rules, and how alerts are grouped.</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>A firing alert of a service joins an open incident of that service declared or alerted within this long.</summary>
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tried in order; the first that matches decides. The built-in defaults fill in what it leaves out.</summary>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    public PagerDutyAlertOptions PagerDuty { get; set; } = new();
    public SourceSwitch Alertmanager { get; set; } = new();
    public SourceSwitch Generic { get; set; } = new();
}

public sealed class PagerDutyAlertOptions
{
    /// <summary>The webhook subscription's signing secrets; two during a rotation. None: the PagerDuty endpoint is off.</summary>
    public string[] SigningSecrets { get; set; } = [];
}

public sealed class SourceSwitch
{
    public bool Enabled { get; set; }
}

/// <summary>
/// One rule: what it matches (every given part must hold) and what it decides. Severity and Services left out are
/// decided by the built-in defaults.
/// </summary>
public sealed class AlertRuleOptions
{
    public const string Declare = "declare";
    public const string Link = "link";

    public string? Name { get; set; }
    public string? Source { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public string? Priority { get; set; }
    public string? Service { get; set; }
    public string? Severity { get; set; }
    public string[]? Services { get; set; }

    /// <summary><c>declare</c> (the default): declare an incident when no open one takes the alert; <c>link</c>: only attach.</summary>
    public string? Action { get; set; }

    /// <summary>Resolve the incident once every alert linked to it has resolved. Off by default: people resolve incidents.</summary>
    public bool ResolveIncident { get; set; }
}
