using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>What the bot writes about an incident in Slack: the channel topic, the pinned card, and one line per change.</summary>
public static class IncidentMessages
{
    private const int MaxTopicLength = 250;

    public static string Topic(Incident incident)
    {
        var commander = incident.CommanderId is null ? "no commander" : $"Commander: {SlackText.Person(incident.CommanderId)}";
        var roles = string.Concat(incident.Roles.Select(r => $" · {Capitalize(r.Role)}: {SlackText.Person(r.UserId)}"));
        var state = $"{incident.Severity.ToLabel()} · {Capitalize(incident.Status.ToLabel())} · {commander}{roles} · {incident.Reference}: ";
        return state + SlackText.Truncate(incident.Title, Math.Max(10, MaxTopicLength - state.Length));
    }

    /// <summary>The plain-text fallback of the card, shown in notifications.</summary>
    public static string CardFallback(Incident incident) =>
        $"{incident.Reference}: {incident.Title} — {incident.Severity.ToLabel()}, {incident.Status.ToLabel()}";

    public static IReadOnlyList<Block> Card(Incident incident, DateTimeOffset now)
    {
        var blocks = new List<Block>
        {
            new HeaderBlock(TextObject.Plain(SlackText.Truncate($"{incident.Reference}: {incident.Title}", 150))),
            new SectionBlock
            {
                Fields =
                [
                    Field("Severity", $"{incident.Severity.ToLabel()} ({incident.Severity.Describe()})"),
                    Field("Status", Capitalize(incident.Status.ToLabel())),
                    Field("Commander", incident.CommanderId is null ? "Not assigned" : SlackText.Person(incident.CommanderId)),
                    Field("Services", incident.Services.Count == 0 ? "—" : SlackText.Escape(string.Join(", ", incident.Services))),
                    Field("Declared", SlackText.Time(incident.DeclaredAt)),
                    Field("Duration", DurationText(incident, now)),
                ],
            },
        };
        if (AlertsLine(incident) is { } alerts)
        {
            blocks.Add(new SectionBlock { Text = TextObject.Markdown(alerts) });
        }

        if (incident.CustomerImpact is { } impact)
        {
            blocks.Add(new SectionBlock { Text = TextObject.Markdown($"*Customer impact*\n{SlackText.Escape(SlackText.Truncate(impact, 2900))}") });
        }

        blocks.AddRange(TeamBlocks(incident));

        blocks.Add(CardButtons(incident));
        blocks.Add(new ContextBlock([TextObject.Markdown($"Last update {SlackText.Time(incident.UpdatedAt)} · {incident.Reference}")]));
        return blocks;
    }

    /// <summary>Who holds the roles besides the commander, and the follow-ups (the last ones, when there are many).</summary>
    private static IEnumerable<Block> TeamBlocks(Incident incident)
    {
        if (incident.Roles.Count > 0)
        {
            var roles = string.Join(" · ", incident.Roles.Select(r => $"{Capitalize(r.Role)}: {SlackText.Person(r.UserId)}"));
            yield return new SectionBlock { Text = TextObject.Markdown($"*Roles*\n{roles}") };
        }

        if (incident.FollowUps.Count > 0)
        {
            var open = incident.FollowUps.Count(f => f.Status == FollowUpStatus.Open);
            var shown = incident.FollowUps.TakeLast(10).Select(FollowUpLine);
            var more = incident.FollowUps.Count > 10 ? $"\n… and {incident.FollowUps.Count - 10} earlier" : "";
            yield return new SectionBlock
            {
                Text = TextObject.Markdown(SlackText.Truncate($"*Follow-ups* ({open} open)\n{string.Join("\n", shown)}{more}", 2900)),
            };
        }
    }

    /// <summary><c>☐ 2. Add retries — @bob, due 2026-12-15</c>; a done one struck through.</summary>
    public static string FollowUpLine(FollowUp followUp)
    {
        var text = SlackText.Escape(SlackText.Truncate(followUp.Text, 200));
        return followUp.Status == FollowUpStatus.Done
            ? $":ballot_box_with_check: {followUp.Id}. ~{text}~{OwnerAndDue(followUp.OwnerId, null)}"
            : $":white_square: {followUp.Id}. {text}{OwnerAndDue(followUp.OwnerId, followUp.DueOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))}";
    }

    private static string OwnerAndDue(string? ownerId, string? dueOn)
    {
        var owner = ownerId is null ? "" : $" — {SlackText.Person(ownerId)}";
        return owner + (dueOn is null ? "" : $"{(owner.Length == 0 ? " —" : ",")} due {dueOn}");
    }

    /// <summary>"added follow-up 2: Add retries — @bob, due 2026-12-15", "closed follow-up 2: Add retries".</summary>
    private static string FollowUpChange(TimelineEntry entry)
    {
        var data = entry.Data!;
        var status = data["status"]?.GetValue<string>();
        var verb = entry.Kind == TimelineEntryKind.FollowUpAdded ? "added"
            : status == data["from"]?.GetValue<string>() ? "changed"
            : status == "done" ? "closed" : "reopened";
        var text = SlackText.Escape(data["text"]?.GetValue<string>() ?? "");
        return $"{verb} follow-up {data["id"]}: {text}{OwnerAndDue(data["owner"]?.GetValue<string>(), data["dueOn"]?.GetValue<string>())}";
    }

    /// <summary>What the new holder of a role is told, only to them.</summary>
    public static string RoleNote(Incident incident, string role, string? does) =>
        $"You are now the *{role}* of *{incident.Reference}: {SlackText.Escape(incident.Title)}*." + (string.IsNullOrWhiteSpace(does) ? "" : $" {SlackText.Escape(does)}");

    /// <summary>How many alerts from alert intake still fire, with when the impact started; null when there are none.</summary>
    private static string? AlertsLine(Incident incident)
    {
        var alerts = incident.IntakeAlerts.ToList();
        var since = incident.ImpactStartedAt is { } start ? $" · impact since {SlackText.Time(start)}" : "";
        if (alerts.Count == 0)
        {
            return since.Length == 0 ? null : $"*Alerts*\nnone linked{since}";
        }

        var firing = alerts.Count(a => a.Alert!.Status == AlertStatus.Firing);
        var state = firing == 0 ? $"all {alerts.Count} resolved" : $"{firing} of {alerts.Count} firing";
        return $"*Alerts*\n{state}{since}";
    }

    /// <summary>Only the buttons that make sense for the incident's status, so a click never asks for the impossible.</summary>
    private static ActionsBlock CardButtons(Incident incident)
    {
        var number = incident.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var buttons = new List<BlockElement>();
        // Once every alert that brought the incident in has resolved, resolving is the step the card puts forward.
        var alertsOver = incident.IntakeAlerts.Any() && incident.IntakeAlerts.All(a => a.Alert!.Status == AlertStatus.Resolved);
        if (incident.Status == IncidentStatus.Active)
        {
            buttons.Add(new ButtonElement(TextObject.Plain("Mark stable")) { ActionId = CardActions.MarkStable, Value = number, Style = alertsOver ? null : "primary" });
        }

        if (incident.Status.IsOpen())
        {
            buttons.Add(new ButtonElement(TextObject.Plain("Resolve"))
            {
                ActionId = CardActions.Resolve, Value = number, Confirm = ResolveConfirmation(incident), Style = alertsOver ? "primary" : null,
            });
        }

        buttons.Add(new StaticSelectElement([.. SeverityOptions])
        {
            ActionId = CardActions.ChangeSeverity,
            Placeholder = TextObject.Plain("Change severity"),
            InitialOption = SeverityOptions.First(o => o.Value == incident.Severity.ToLabel()),
        });
        buttons.Add(new ButtonElement(TextObject.Plain("Summary")) { ActionId = CardActions.Summary, Value = number });
        buttons.Add(new ButtonElement(TextObject.Plain("Add follow-up")) { ActionId = CardActions.AddFollowUp, Value = number });
        if (!incident.Status.IsOpen())
        {
            buttons.Add(new ButtonElement(TextObject.Plain("Draft postmortem")) { ActionId = CardActions.DraftPostmortem, Value = number });
        }

        return new ActionsBlock(buttons) { BlockId = CardActions.BlockIdPrefix + number };
    }

    public static IReadOnlyList<SelectOption> SeverityOptions { get; } =
    [
        .. new[] { Severity.Sev1, Severity.Sev2, Severity.Sev3, Severity.Sev4, Severity.Sev5, Severity.Unknown }
            .Select(s => SelectOption.Plain($"{s.ToLabel()} ({s.Describe()})", s.ToLabel())),
    ];

    private static ConfirmationDialog ResolveConfirmation(Incident incident) => new(
        TextObject.Plain("Resolve the incident?"),
        TextObject.Markdown($"{incident.Reference} will be marked *resolved* and the time to resolve recorded. It can be reopened later."),
        TextObject.Plain("Resolve"),
        TextObject.Plain("Cancel"));

    /// <summary>The line posted in the incident channel for a timeline entry; null for entries that came from the channel itself.</summary>
    public static string? ChannelLine(Incident incident, TimelineEntry entry)
    {
        var who = SlackText.Person(entry.ActorId);
        return entry.Kind switch
        {
            TimelineEntryKind.Declared =>
                $":rotating_light: {who} declared *{incident.Reference}: {SlackText.Escape(incident.Title)}* ({incident.Severity.ToLabel()})",
            TimelineEntryKind.StatusChanged => $"{who} changed the status from {From(entry)} to *{To(entry)}*",
            TimelineEntryKind.SeverityChanged => $"{who} changed the severity from {From(entry)} to *{To(entry)}*",
            TimelineEntryKind.CommanderChanged => $"{who} made {SlackText.Person(To(entry))} the incident commander",
            TimelineEntryKind.RoleAssigned => $"{who} made {SlackText.Person(To(entry))} the {entry.Data?["role"]?.GetValue<string>()}",
            TimelineEntryKind.FollowUpAdded or TimelineEntryKind.FollowUpChanged => $":pushpin: {who} {FollowUpChange(entry)}",
            TimelineEntryKind.ServicesChanged or TimelineEntryKind.ResourceLinked or TimelineEntryKind.DetailsChanged =>
                $"{who}: {SlackText.Escape(entry.Text)}",
            TimelineEntryKind.AlertChanged when entry.Data?["allResolved"] is not null && incident.Status.IsOpen() =>
                $":white_check_mark: {SlackText.Escape(entry.Text)} The card's *Resolve* button closes it.",
            TimelineEntryKind.AlertChanged => $":bell: {SlackText.Escape(entry.Text)}",
            TimelineEntryKind.Update or TimelineEntryKind.Action or TimelineEntryKind.Resolution =>
                $"*{Capitalize(entry.Kind.ToWireName())}* from {who}: {SlackText.Escape(entry.Text)}",
            _ => null,
        };
    }

    /// <summary>The line for the announcement channel: declarations and status changes only.</summary>
    public static string? Announcement(Incident incident, TimelineEntry entry)
    {
        var where = incident.ChannelId is null ? "" : $" → {SlackText.Channel(incident.ChannelId)}";
        var title = SlackText.Escape(incident.Title);
        return entry.Kind switch
        {
            TimelineEntryKind.Declared =>
                $":rotating_light: {SlackText.Person(entry.ActorId)} declared *{incident.Reference}: {title}* ({incident.Severity.ToLabel()}){where}",
            TimelineEntryKind.StatusChanged => $"*{incident.Reference}: {title}* is now *{To(entry)}*{where}",
            _ => null,
        };
    }

    private static string DurationText(Incident incident, DateTimeOffset now) =>
        incident.ResolvedAt is { } resolved
            ? $"{SlackText.Duration(resolved - incident.DeclaredAt)} (resolved)"
            : $"{SlackText.Duration(now - incident.DeclaredAt)} so far";

    private static TextObject Field(string label, string value) => TextObject.Markdown($"*{label}*\n{value}");

    private static string From(TimelineEntry entry) => entry.Data?["from"]?.GetValue<string>() ?? "none";

    private static string To(TimelineEntry entry) => entry.Data?["to"]?.GetValue<string>() ?? "none";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
