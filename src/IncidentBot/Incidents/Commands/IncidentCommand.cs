namespace IncidentBot.Incidents.Commands;

/// <summary>
/// What <c>/incident …</c> asks for, as <see cref="IncidentCommandParser"/> read it. One record per
/// subcommand; anything unreadable is an <see cref="InvalidCommand"/>, never an exception.
/// </summary>
public abstract record IncidentCommand;

/// <summary>
/// A command about one incident. <see cref="Reference"/> is the incident number when the text named one
/// (<c>INC-42</c>, <c>incident-42</c>, <c>#42</c>); null means "the incident of the channel it was typed in".
/// </summary>
public abstract record IncidentScopedCommand(long? Reference) : IncidentCommand;

/// <summary>
/// The four ways to move an incident's status (<c>status</c>, <c>stable</c>, <c>resolve</c>, <c>reopen</c>),
/// so they can be handled in one place.
/// </summary>
public abstract record StatusChangeCommand(long? Reference, IncidentStatus Status, string? Summary) : IncidentScopedCommand(Reference);

/// <summary><c>declare [title] [sevN] [services: a,b]</c>. An empty title means: ask for the details in a modal.</summary>
public sealed record DeclareCommand(string Title, Severity? Severity, IReadOnlyList<string> Services) : IncidentCommand;

/// <summary><c>status &lt;s&gt;</c>, any spelling <see cref="IncidentStatusText"/> accepts.</summary>
public sealed record StatusCommand(long? Reference, IncidentStatus Status) : StatusChangeCommand(Reference, Status, null);

/// <summary><c>stable</c>: status stable.</summary>
public sealed record StableCommand(long? Reference) : StatusChangeCommand(Reference, IncidentStatus.Stable, null);

/// <summary><c>resolve [summary]</c>: status resolved, with the resolution summary when one was given.</summary>
public sealed record ResolveCommand(long? Reference, string? Summary) : StatusChangeCommand(Reference, IncidentStatus.Resolved, Summary);

/// <summary><c>reopen</c>: status active again.</summary>
public sealed record ReopenCommand(long? Reference) : StatusChangeCommand(Reference, IncidentStatus.Active, null);

/// <summary><c>severity &lt;sev&gt;</c>.</summary>
public sealed record SeverityCommand(long? Reference, Severity Severity) : IncidentScopedCommand(Reference);

/// <summary><c>commander &lt;@user&gt;</c>; <see cref="UserId"/> is the Slack user id (<c>U…</c> or <c>W…</c>).</summary>
public sealed record CommanderCommand(long? Reference, string UserId) : IncidentScopedCommand(Reference);

/// <summary><c>update &lt;text&gt;</c>: a timeline update. The text keeps its Slack markup.</summary>
public sealed record UpdateCommand(long? Reference, string Text) : IncidentScopedCommand(Reference);

/// <summary><c>action &lt;text&gt;</c>: an action taken, for the timeline. The text keeps its Slack markup.</summary>
public sealed record ActionCommand(long? Reference, string Text) : IncidentScopedCommand(Reference);

/// <summary><c>impact &lt;text&gt;</c>: the customer impact. The text keeps its Slack markup.</summary>
public sealed record ImpactCommand(long? Reference, string Text) : IncidentScopedCommand(Reference);

/// <summary><c>impact-start &lt;time&gt;</c>: when customers started to feel it, in any form <see cref="TimeText.TryParseMoment"/> reads.</summary>
public sealed record ImpactStartCommand(long? Reference, TimeWords When) : IncidentScopedCommand(Reference)
{
    public DateTimeOffset Resolve(DateTimeOffset now) => When.Resolve(now);
}

/// <summary><c>services add &lt;a, b&gt;</c>.</summary>
public sealed record AddServicesCommand(long? Reference, IReadOnlyList<string> Services) : IncidentScopedCommand(Reference);

/// <summary><c>link &lt;type&gt; &lt;id|url&gt;</c>; a Slack-wrapped link is reduced to its URL.</summary>
public sealed record LinkCommand(long? Reference, LinkType Type, string Target) : IncidentScopedCommand(Reference);

/// <summary><c>show [ref]</c>: the incident card.</summary>
public sealed record ShowCommand(long? Reference) : IncidentScopedCommand(Reference);

/// <summary><c>summary</c>: the assistant's summary of the incident.</summary>
public sealed record SummaryCommand(long? Reference) : IncidentScopedCommand(Reference);

/// <summary>
/// <c>related [text] [past &lt;n&gt; &lt;unit&gt;]</c>. Without a query: incidents related to this one (the
/// caller's default window); with one: incidents matching it within <see cref="Window"/>.
/// </summary>
public sealed record RelatedCommand(long? Reference, string? Query, TimeSpan? Window) : IncidentScopedCommand(Reference);

/// <summary>
/// <c>catchup [since &lt;time&gt;]</c>: what changed since the person last wrote in the incident (or since <see cref="Since"/>).
/// </summary>
public sealed record CatchupCommand(long? Reference, TimeWords? Since) : IncidentScopedCommand(Reference);

/// <summary><c>postmortem</c>: draft the postmortem.</summary>
public sealed record PostmortemCommand(long? Reference) : IncidentScopedCommand(Reference);

public enum IncidentListScope
{
    /// <summary>Active and stable incidents.</summary>
    Open,
    All,
}

/// <summary><c>list [open|all] [sevN]</c>.</summary>
public sealed record ListCommand(IncidentListScope Scope, Severity? Severity) : IncidentCommand;

/// <summary><c>stats [past &lt;n&gt; &lt;unit&gt;]</c>; a null window means the caller's default.</summary>
public sealed record StatsCommand(TimeSpan? Window) : IncidentCommand;

/// <summary><c>help</c>, and an empty <c>/incident</c>: answer with <see cref="IncidentCommandParser.Usage"/>.</summary>
public sealed record HelpCommand : IncidentCommand;

/// <summary>Unknown or malformed input: say <see cref="Error"/> and show <see cref="Usage"/>, a one-line example.</summary>
public sealed record InvalidCommand(string Error, string Usage) : IncidentCommand;
