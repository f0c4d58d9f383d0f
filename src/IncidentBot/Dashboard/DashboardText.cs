using IncidentBot.Incidents;

namespace IncidentBot.Dashboard;

/// <summary>How the pages show an incident's parts: the CSS classes that colour them and the words for them.</summary>
public static class DashboardText
{
    /// <summary>SEV-1 red, SEV-2 orange, SEV-3 yellow, SEV-4 blue, SEV-5 and UNKNOWN grey (dashboard.css).</summary>
    public static string SeverityClass(Severity severity) => severity switch
    {
        Severity.Sev1 => "sev sev-1",
        Severity.Sev2 => "sev sev-2",
        Severity.Sev3 => "sev sev-3",
        Severity.Sev4 => "sev sev-4",
        _ => "sev sev-other",
    };

    public static string StatusClass(IncidentStatus status) => $"status status-{status.ToLabel()}";

    /// <summary>Running (declared until now) while open, the time to resolve once resolved.</summary>
    public static string Duration(Incident incident, DateTimeOffset now) => incident.TimeToResolve is { } total
        ? TimeText.Duration(total)
        : $"{TimeText.Duration(now - incident.DeclaredAt)}, running";

    /// <summary>A link that opens the channel in the Slack client of the workspace.</summary>
    public static string? ChannelUrl(Incident incident, string? teamId) => incident.ChannelId is { } channel
        ? $"https://slack.com/app_redirect?channel={Uri.EscapeDataString(channel)}{(teamId is null ? "" : "&team=" + Uri.EscapeDataString(teamId))}"
        : null;

    public static string KindLabel(TimelineEntryKind kind) => kind.ToWireName().Replace('_', ' ');

    /// <summary>Entries people wrote, told apart from those the bot recorded.</summary>
    public static string KindClass(TimelineEntryKind kind) => kind switch
    {
        TimelineEntryKind.Message => "entry entry-message",
        TimelineEntryKind.Update or TimelineEntryKind.Action or TimelineEntryKind.Resolution => $"entry entry-post entry-{kind.ToWireName()}",
        _ => $"entry entry-change entry-{kind.ToWireName().Replace('_', '-')}",
    };
}
