using IncidentBot.Incidents;

namespace IncidentBot.SlackApp;

/// <summary>The short answers the bot gives a person in Slack.</summary>
public static class IncidentReplies
{
    public static string NothingChanged(Incident incident) =>
        $"Nothing to change: {incident.Reference} is already {incident.Status.ToLabel()}, {incident.Severity.ToLabel()}" +
        (incident.CommanderId is null ? "." : $", led by {SlackText.Person(incident.CommanderId)}.");

    public static string Done(Incident incident) =>
        $"Done: {incident.Reference} is now {incident.Status.ToLabel()}, {incident.Severity.ToLabel()}" +
        (incident.ChannelId is null ? "." : $". Its channel: {SlackText.Channel(incident.ChannelId)}");

    public static string ListLine(Incident incident, DateTimeOffset now)
    {
        var age = SlackText.Duration((incident.ResolvedAt ?? now) - incident.DeclaredAt);
        var channel = incident.ChannelId is null ? "" : $" {SlackText.Channel(incident.ChannelId)}";
        return $"• *{incident.Reference}* {SlackText.Escape(incident.Title)} — {incident.Severity.ToLabel()}, {incident.Status.ToLabel()}, {age}{channel}";
    }

    public static string Stats(IncidentStats stats, TimeSpan window)
    {
        var mttr = stats.MeanTimeToResolve is { } mean ? SlackText.Duration(mean) : "no resolved incidents";
        var mttd = stats.MeanTimeToDetect is { } detect ? $" MTTD: {SlackText.Duration(detect)}." : "";
        var bySeverity = string.Join(", ", stats.BySeverity.Where(p => p.Value > 0).Select(p => $"{p.Key.ToLabel()}: {p.Value}"));
        var services = string.Join(", ", stats.TopServices.Take(5).Select(s => $"{s.Service} ({s.Incidents})"));
        return $"*Past {SlackText.Duration(window)}*: {stats.Total} incidents, {stats.Open} still open. MTTR: {mttr}.{mttd}" +
               (bySeverity.Length > 0 ? $"\nBy severity: {bySeverity}." : "") +
               (services.Length > 0 ? $"\nTop services: {services}." : "");
    }
}
