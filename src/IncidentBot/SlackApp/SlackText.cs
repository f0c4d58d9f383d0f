using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>
/// Everything the bot writes in Slack's mrkdwn goes through here: people, channels, times, durations, escaped text.
/// The syntax itself is the transport's (<see cref="SlackMarkup"/>, <see cref="SlackUserId"/>); the words are <see cref="TimeText"/>'s.
/// </summary>
public static class SlackText
{
    /// <summary><c>&lt;@U123&gt;</c> for a Slack user id; other actors (an API caller) in code style.</summary>
    public static string Person(string? id) => id switch
    {
        null or "" => "someone",
        _ when SlackUserId.TryParse(id, out var user) => user.Mention,
        _ => $"`{Escape(id)}`",
    };

    /// <summary><c>&lt;#C123&gt;</c>: Slack shows the channel's current name, linked.</summary>
    public static string Channel(string channelId) => $"<#{channelId}>";

    /// <summary>Each reader sees the time in their own time zone; the fallback is UTC.</summary>
    public static string Time(DateTimeOffset time) =>
        $"<!date^{time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} {{time}}|{TimeText.Utc(time)}>";

    public static string Duration(TimeSpan duration) => TimeText.Duration(duration);

    /// <summary>Text from people must not become links or mentions by accident.</summary>
    public static string Escape(string text) => SlackMarkup.Escape(text);

    public static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";
}
