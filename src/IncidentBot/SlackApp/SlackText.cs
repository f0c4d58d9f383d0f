using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.SlackApp;

/// <summary>Slack's mrkdwn markup for the things the bot writes: people, times, durations, escaped text.</summary>
public static partial class SlackText
{
    /// <summary><c>&lt;@U123&gt;</c> for a Slack user id; other actors (an API caller) in code style.</summary>
    public static string Person(string? id) => id switch
    {
        null or "" => "someone",
        _ when SlackUserId().IsMatch(id) => $"<@{id}>",
        _ => $"`{Escape(id)}`",
    };

    public static bool IsSlackUserId(string? id) => id is not null && SlackUserId().IsMatch(id);

    /// <summary>Each reader sees the time in their own time zone; the fallback is UTC.</summary>
    public static string Time(DateTimeOffset time) =>
        $"<!date^{time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} {{time}}|{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}>";

    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalMinutes: < 1 } => "under a minute",
        { TotalHours: < 1 } => $"{duration.Minutes}m",
        { TotalDays: < 1 } => duration.Minutes == 0 ? $"{duration.Hours}h" : $"{duration.Hours}h {duration.Minutes}m",
        _ => duration.Hours == 0 ? $"{(int)duration.TotalDays}d" : $"{(int)duration.TotalDays}d {duration.Hours}h",
    };

    /// <summary>Slack treats <c>&amp; &lt; &gt;</c> as markup; text from people must not become links or mentions by accident.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";

    [GeneratedRegex("^[UW][A-Z0-9]{2,}$")]
    private static partial Regex SlackUserId();
}
