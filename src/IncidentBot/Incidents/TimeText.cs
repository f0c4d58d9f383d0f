using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.Incidents;

/// <summary>How the bot writes moments and durations to people, wherever they read them (Slack, answers, drafts).</summary>
public static partial class TimeText
{
    /// <summary>The forms <see cref="TryParseMoment"/> reads, for usage lines.</summary>
    public const string MomentForms = "14:32 (UTC), 20 min ago (or 20m) or 2026-11-02T14:32Z";

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

    /// <summary>
    /// A moment as people write it in a command: a UTC time of day (<c>14:32</c>, <c>8:45 UTC</c>), a span back from now
    /// (<c>20 min ago</c>, <c>30m</c>, <c>2 hours</c>) or an ISO 8601 time with its date (<c>2026-11-02T14:32Z</c>).
    /// </summary>
    public static bool TryParseMoment(string text, out TimeWords words)
    {
        words = null!;
        text = text.Trim();
        if (AgoTime().Match(text) is { Success: true } ago)
        {
            var count = int.Parse(ago.Groups["count"].ValueSpan, provider: null);
            var unit = char.ToLowerInvariant(ago.Groups["unit"].Value[0]);
            words = new TimeWords(Ago: unit == 'h' ? TimeSpan.FromHours(count) : unit == 'd' ? TimeSpan.FromDays(count) : TimeSpan.FromMinutes(count));
            return true;
        }

        if (ClockTime().Match(text) is { Success: true } clock)
        {
            words = new TimeWords(TimeOfDay: new TimeOnly(int.Parse(clock.Groups["h"].ValueSpan, provider: null), int.Parse(clock.Groups["m"].ValueSpan, provider: null)));
            return true;
        }

        // A date is required: a bare number would be read as some day of this month.
        if (IsoDate().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            words = new TimeWords(At: at.ToUniversalTime());
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?<count>\d{1,5})\s*(?<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d)(?:\s+ago)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgoTime();

    [GeneratedRegex(@"^(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)(?:\s*utc)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}

/// <summary>A moment as someone wrote it: exactly one of <see cref="At"/>, <see cref="TimeOfDay"/> (UTC) or <see cref="Ago"/> is given.</summary>
public sealed record TimeWords(DateTimeOffset? At = null, TimeOnly? TimeOfDay = null, TimeSpan? Ago = null)
{
    /// <summary>The moment the words name, as of <paramref name="now"/>: a time of day later than now is yesterday's.</summary>
    public DateTimeOffset Resolve(DateTimeOffset now)
    {
        if (At is { } at)
        {
            return at;
        }

        if (Ago is { } ago)
        {
            return now - ago;
        }

        var today = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(TimeOfDay!.Value), TimeSpan.Zero);
        return today > now ? today.AddDays(-1) : today;
    }
}
