using System.Globalization;

namespace IncidentBot.Incidents;

/// <summary>How the bot writes moments and durations to people, wherever they read them (Slack, answers, drafts).</summary>
public static class TimeText
{
    /// <summary><c>2026-11-02 09:00 UTC</c>: to the minute, always UTC, so readers in different zones agree.</summary>
    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The two largest units that matter: <c>5 min</c>, <c>1 h 30 min</c>, <c>2 h</c>, <c>3 d 4 h</c>; below a minute,
    /// <c>under a minute</c>. Zero parts are left out.
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMinutes(1))
        {
            return "under a minute";
        }

        var days = (int)duration.TotalDays;
        (int Amount, string Unit)[] parts = days > 0
            ? [(days, "d"), (duration.Hours, "h")]
            : [(duration.Hours, "h"), (duration.Minutes, "min")];
        return string.Join(" ", parts.Where(p => p.Amount > 0).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Amount} {p.Unit}")));
    }
}
