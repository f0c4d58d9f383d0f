using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IncidentBot.Slack.Models;

/// <summary>
/// A message's <c>ts</c>: Unix seconds and microseconds, <c>"1700000000.000100"</c>. It is the message's id within its
/// channel, so its identity is the exact string Slack sent (a float would lose the last digits); it orders by time.
/// </summary>
public readonly record struct SlackTs : IComparable<SlackTs>
{
    private const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset holds
    private const int MaxFractionDigits = 6;

    private readonly string? value;

    private SlackTs(string value, long seconds, int microseconds)
    {
        this.value = value;
        Seconds = seconds;
        Microseconds = microseconds;
    }

    /// <summary>The ts exactly as Slack wrote it.</summary>
    public string Value => value ?? "";

    public long Seconds { get; }

    public int Microseconds { get; }

    /// <summary>Digits, optionally a point and up to six more digits; nothing else (no sign, no spaces, no exponent).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SlackTs ts)
    {
        ts = default;
        var point = text?.IndexOf('.') ?? -1;
        var whole = point < 0 ? text.AsSpan() : text.AsSpan(0, point);
        var fraction = point < 0 ? [] : text.AsSpan(point + 1);
        if (text is null || whole.Length is 0 or > 12 || (point >= 0 && fraction.Length is 0 or > MaxFractionDigits)
            || !IsDigits(whole) || !IsDigits(fraction))
        {
            return false;
        }

        var seconds = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        var microseconds = fraction.IsEmpty ? 0 : int.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * Pow10(MaxFractionDigits - fraction.Length);
        if (seconds > MaxSeconds)
        {
            return false;
        }

        ts = new SlackTs(text, seconds, microseconds);
        return true;
    }

    /// <summary>The moment of a ts, or null for text that is not one.</summary>
    public static DateTimeOffset? TimeOf(string? text) => TryParse(text, out var ts) ? ts.ToDateTimeOffset() : null;

    public static SlackTs Parse(string text) =>
        TryParse(text, out var ts) ? ts : throw new FormatException($"'{text}' is not a Slack ts (seconds.microseconds).");

    /// <summary>The ts Slack would give a message at that moment, to the microsecond: <c>"1700000000.000100"</c>.</summary>
    public static SlackTs FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "A Slack ts cannot be before 1970.");
        }

        var seconds = ticks / TimeSpan.TicksPerSecond;
        var microseconds = (int)(ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        var text = string.Create(CultureInfo.InvariantCulture, $"{seconds}.{microseconds:000000}");
        return new SlackTs(text, seconds, microseconds);
    }

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks((Seconds * TimeSpan.TicksPerSecond) + (Microseconds * TimeSpan.TicksPerMicrosecond));

    /// <summary>By time; two spellings of the same moment (<c>"1.5"</c>, <c>"1.500000"</c>) are ordered by their text, so only equal strings compare equal.</summary>
    public int CompareTo(SlackTs other)
    {
        var byTime = (Seconds, Microseconds).CompareTo((other.Seconds, other.Microseconds));
        return byTime != 0 ? byTime : string.CompareOrdinal(Value, other.Value);
    }

    public static bool operator <(SlackTs left, SlackTs right) => left.CompareTo(right) < 0;

    public static bool operator >(SlackTs left, SlackTs right) => left.CompareTo(right) > 0;

    public static bool operator <=(SlackTs left, SlackTs right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SlackTs left, SlackTs right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value;

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static int Pow10(int exponent) => exponent == 0 ? 1 : 10 * Pow10(exponent - 1);
}
