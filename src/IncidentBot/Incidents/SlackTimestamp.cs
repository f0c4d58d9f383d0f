using System.Globalization;

namespace IncidentBot.Incidents;

/// <summary>Slack's message ids (<c>ts</c>) are Unix seconds with microseconds: <c>"1700000000.000100"</c>.</summary>
public static class SlackTimestamp
{
    public static DateTimeOffset? ToTime(string? ts)
    {
        if (string.IsNullOrEmpty(ts) || !decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000m));
    }

    /// <summary>Compares two ts values exactly: messages a few microseconds apart differ only in the last digits.</summary>
    public static bool IsAfter(string? ts, string? than) =>
        Parse(ts) is { } value && (Parse(than) is not { } other || value > other);

    private static decimal? Parse(string? ts) =>
        decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    public static string FromTime(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.000000", CultureInfo.InvariantCulture);
}
