using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.Assistant;

/// <summary>A time frame a question names: from <see cref="Since"/> to <see cref="Until"/>, and how to say it back.</summary>
public sealed record TimeFrame(DateTimeOffset Since, DateTimeOffset Until, string Words)
{
    /// <summary>"this month (since 2026-11-01 00:00 UTC)", "in the past hour (since …)": the words and the moments they were read as.</summary>
    public string Described(DateTimeOffset now)
    {
        var phrase = Words.StartsWith("the ", StringComparison.Ordinal) ? $"in {Words}" : Words;
        return Until >= now ? $"{phrase} (since {AnswerWriter.Time(Since)})" : $"{phrase} ({AnswerWriter.Time(Since)} to {AnswerWriter.Time(Until)})";
    }
}

/// <summary>
/// Reads time frames, in UTC: "today", "yesterday", "this week|month|quarter|year" (calendar, weeks start on Monday),
/// "last week|month|quarter|year" (the previous calendar one), "the past|last N units" and "in the last hour" (counted
/// back from now), "N units ago", "since Monday", "since 08:30", "since yesterday", "since 2026-11-01", "in October",
/// "on Monday".
/// </summary>
internal static partial class QuestionTimeFrame
{
    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["couple of"] = 2, ["a couple of"] = 2, ["three"] = 3, ["few"] = 3,
        ["a few"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
        ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20, ["thirty"] = 30, ["several"] = 3,
    };

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    public static TimeFrame? Read(QuestionReading reading, DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (RangeIn(reading.Text, now, today) is { } range)
        {
            reading.Take(Range());
            return range;
        }

        // A point that is no moment ("since 25:00", "since tomorrow") is not taken: its words stay unread and are said back.
        if (Since().Match(reading.Text) is { Success: true } since
            && PointIn(since.Groups["point"].Value.Trim(), now, today) is { } point && point <= now)
        {
            reading.Take(Since());
            return new TimeFrame(point, now, since.Value.Trim());
        }

        if (OnDate().Match(reading.Text) is { Success: true } on && DateIn(on.Groups["date"].Value, today) is { } date && date <= now)
        {
            reading.Take(OnDate());
            return DayFrame(date, now, $"on {AnswerWriter.Time(date)[..10]}");
        }

        if (reading.Take(Rolling()) is { Success: true } rolling)
        {
            var count = Count(rolling.Groups["count"].Value);
            var unit = UnitOf(rolling);
            var words = count == 1 ? $"the past {unit}" : $"the past {count} {unit}s";
            return new TimeFrame(now - Span(unit, count), now, words);
        }

        if (reading.Take(Ago()) is { Success: true } ago)
        {
            var count = Count(ago.Groups["count"].Value);
            var unit = UnitOf(ago);
            return new TimeFrame(now - Span(unit, count), now, $"since {(count == 1 ? $"a {unit}" : $"{count} {unit}s")} ago");
        }

        if (reading.Take(Calendar()) is { Success: true } calendar)
        {
            var unit = calendar.Groups["unit"].Value;
            var start = StartOf(unit, today);
            return calendar.Groups["which"].Value == "this"
                ? new TimeFrame(start, now, $"this {unit}")
                : new TimeFrame(Previous(unit, start), start, $"last {unit}");
        }

        if (reading.Take(Day()) is { Success: true } day)
        {
            return day.Groups["day"].Value switch
            {
                "today" => new TimeFrame(today, now, "today"),
                "yesterday" => new TimeFrame(today.AddDays(-1), today, "yesterday"),
                var weekday => DayFrame(LastWeekday(weekday, today), now, $"on {AnswerWriter.Capitalized(weekday)}"),
            };
        }

        if (reading.Take(MonthName()) is { Success: true } month)
        {
            var index = Array.FindIndex(Months, m => m.StartsWith(month.Groups["month"].Value[..3], StringComparison.Ordinal)) + 1;
            var start = new DateTimeOffset(now.Year, index, 1, 0, 0, 0, TimeSpan.Zero);
            start = start > now ? start.AddYears(-1) : start;
            var end = start.AddMonths(1);
            return new TimeFrame(start, end < now ? end : now, $"in {AnswerWriter.Capitalized(Months[index - 1])}");
        }

        return null;
    }

    /// <summary>"between November 1 and November 10", "from Monday to Wednesday": both days whole, up to now at most.</summary>
    private static TimeFrame? RangeIn(string text, DateTimeOffset now, DateTimeOffset today)
    {
        var match = Range().Match(text);
        if (!match.Success || DateIn(match.Groups["a"].Value, today) is not { } from || DateIn(match.Groups["b"].Value, today) is not { } to
            || to < from || from > now)
        {
            return null;
        }

        var end = to.AddDays(1) < now ? to.AddDays(1) : now;
        return new TimeFrame(from, end, $"from {AnswerWriter.Time(from)[..10]} to {AnswerWriter.Time(to)[..10]}");
    }

    /// <summary>The start of the day a date names: "November 3rd", "3 Nov 2026", "2026-11-03", "Monday", "yesterday"; a date without a year is the latest one not after today.</summary>
    private static DateTimeOffset? DateIn(string text, DateTimeOffset today)
    {
        var date = text.Trim();
        if (date == "today")
        {
            return today;
        }

        if (date == "yesterday")
        {
            return today.AddDays(-1);
        }

        var weekday = date.Replace("last ", "", StringComparison.Ordinal).Trim();
        if (Array.IndexOf(Weekdays, weekday) >= 0)
        {
            return LastWeekday(weekday, today);
        }

        if (DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var iso))
        {
            return new DateTimeOffset(iso, TimeSpan.Zero);
        }

        if (CalendarDate().Match(date) is not { Success: true } calendar)
        {
            return null;
        }

        var month = Array.FindIndex(Months, m => m.StartsWith(calendar.Groups["month"].Value[..3], StringComparison.Ordinal)) + 1;
        var day = int.Parse(calendar.Groups["day"].Value, CultureInfo.InvariantCulture);
        var year = calendar.Groups["year"].Success ? int.Parse(calendar.Groups["year"].Value, CultureInfo.InvariantCulture) : today.Year;
        if (day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var start = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
        return start > today && !calendar.Groups["year"].Success ? start.AddYears(-1) : start;
    }

    /// <summary>Each of these words means a time frame only with a count or a date next to it; left alone they are not understood.</summary>
    private static DateTimeOffset? PointIn(string point, DateTimeOffset now, DateTimeOffset today)
    {
        if (point is "today" or "this morning" or "midnight")
        {
            return today;
        }

        if (point == "yesterday")
        {
            return today.AddDays(-1);
        }

        if (Array.IndexOf(Weekdays, point.Replace("last ", "", StringComparison.Ordinal).Trim()) >= 0)
        {
            return LastWeekday(point.Replace("last ", "", StringComparison.Ordinal).Trim(), today);
        }

        if (StartPoint().Match(point) is { Success: true } begun)
        {
            return StartOf(begun.Groups["unit"].Value, today);
        }

        if (CalendarPoint().Match(point) is { Success: true } calendar)
        {
            var start = StartOf(calendar.Groups["unit"].Value, today);
            return calendar.Groups["which"].Value == "this" ? start : Previous(calendar.Groups["unit"].Value, start);
        }

        if (AgoPoint().Match(point) is { Success: true } ago)
        {
            return now - Span(UnitOf(ago), Count(ago.Groups["count"].Value));
        }

        if (CalendarDate().IsMatch(point))
        {
            return DateIn(point, today);
        }

        if (DateTime.TryParseExact(point, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"],
                CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            return new DateTimeOffset(date, TimeSpan.Zero);
        }

        if (ClockTime().Match(point) is { Success: true } clock)
        {
            var hour = int.Parse(clock.Groups["hour"].Value, CultureInfo.InvariantCulture);
            var minute = clock.Groups["minute"].Success ? int.Parse(clock.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
            hour = clock.Groups["half"].Value switch { "pm" when hour < 12 => hour + 12, "am" when hour == 12 => 0, _ => hour };
            if (hour > 23 || minute > 59)
            {
                return null;
            }

            var at = today.AddHours(hour).AddMinutes(minute);
            return at > now ? at.AddDays(-1) : at;
        }

        return null;
    }

    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>The latest such weekday at or before today.</summary>
    private static DateTimeOffset LastWeekday(string weekday, DateTimeOffset today)
    {
        var wanted = (DayOfWeek)((Array.IndexOf(Weekdays, weekday) + 1) % 7);
        var back = ((int)today.DayOfWeek - (int)wanted + 7) % 7;
        return today.AddDays(-back);
    }

    private static TimeFrame DayFrame(DateTimeOffset day, DateTimeOffset now, string words) =>
        new(day, day.AddDays(1) < now ? day.AddDays(1) : now, words);

    private static DateTimeOffset StartOf(string unit, DateTimeOffset today) => unit switch
    {
        "week" => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
        "month" => new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero),
        "quarter" => new DateTimeOffset(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero),
        _ => new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private static DateTimeOffset Previous(string unit, DateTimeOffset start) => unit switch
    {
        "week" => start.AddDays(-7),
        "month" => start.AddMonths(-1),
        "quarter" => start.AddMonths(-3),
        _ => start.AddYears(-1),
    };

    private static string UnitOf(Match match) => match.Groups["unit"].Value switch
    {
        "min" or "m" => "minute",
        "hr" or "h" => "hour",
        "d" => "day",
        "w" => "week",
        var unit => unit,
    };

    private static int Count(string text)
    {
        var trimmed = text.Trim();
        var count = trimmed.Length == 0 ? 1
            : int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) ? digits
            : NumberWords.GetValueOrDefault(trimmed, 1);
        return Math.Clamp(count, 1, 10_000);
    }

    private static TimeSpan Span(string unit, int count) => unit switch
    {
        "minute" => TimeSpan.FromMinutes(count),
        "hour" => TimeSpan.FromHours(count),
        "day" => TimeSpan.FromDays(count),
        "week" => TimeSpan.FromDays(7 * count),
        "fortnight" => TimeSpan.FromDays(14 * count),
        "month" => TimeSpan.FromDays(30 * count),
        "quarter" => TimeSpan.FromDays(91 * count),
        _ => TimeSpan.FromDays(365 * Math.Min(count, 20)),
    };

    private const string Number = @"\d{1,5}|a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty";
    private const string Unit = @"(?<unit>min(?=s?\b)|minute|hour|hr(?=s?\b)|day|week|fortnight|month|quarter|year)(?:s)?";

    /// <summary>"24h", "3d", "30m", "2w": a count written together with its unit's letter.</summary>
    private const string Compact = @"(?<count>\d{1,5})\s?(?<unit>h|d|w|m)\b";

    [GeneratedRegex(@"\b(?:ever\s+)?since\s+(?<point>(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+(?:week|month|quarter|year)|today|this morning|midnight|yesterday|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:this|last)\s+(?:week|month|quarter|year)|(?:" + Number + @")\s+" + Unit + @"(?:\s+ago)?|" + CalendarDay + @"|\d{4}-\d{2}-\d{2}(?:[t ]\d{1,2}:\d{2}(?::\d{2}z?)?)?|\d{1,2}(?::\d{2})?\s*(?:am|pm)?(?:\s*utc)?)(?![\w:-])")]
    private static partial Regex Since();

    private const string MonthWord = @"(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

    /// <summary>"november 3rd", "nov 3, 2026", "3 november", "the 3rd of november".</summary>
    private const string CalendarDay = @"(?:" + MonthWord + @"\s+(?:the\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?<year>\d{4}))?|(?:the\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MonthWord + @"(?:,?\s+(?<year>\d{4}))?)";

    private const string AnyDate = @"(?:" + CalendarDay + @"|\d{4}-\d{2}-\d{2}|today|yesterday|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))";

    [GeneratedRegex(@"^" + CalendarDay + @"$")]
    private static partial Regex CalendarDate();

    [GeneratedRegex(@"\b(?:(?:in\s+the\s+)?(?:period\s+)?between|from)\s+(?<a>" + AnyDate + @")\s+(?:and|to|until|till|through|thru|-)\s+(?<b>" + AnyDate + @")(?![\w-])")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:on|for|of)\s+(?<date>" + CalendarDay + @"|\d{4}-\d{2}-\d{2})(?![\w-])")]
    private static partial Regex OnDate();

    [GeneratedRegex(@"\b(?:(?:in|during|over|within|from|for|of)\s+the\s+|the\s+|(?:in|within|over)\s+)(?:past|last|previous|recent)\s+(?:(?<count>" + Number + @")\s+)?" + Unit + @"\b|\b(?:(?:in|during|over|within|from|for|of)\s+)?(?:past|recent)\s+(?:(?<count>" + Number + @")\s+)?" + Unit + @"\b|\b(?:(?:in|during|over|within|from|for|of)\s+)?(?:last|previous)\s+(?<count>" + Number + @")\s+" + Unit + @"\b|\b(?:(?:in|during|over|within|from|for|of)\s+)?(?:last|previous)\s+(?<unit>min(?=s?\b)|minute|hour|hr(?=s?\b)|day|fortnight)s?\b|\b(?:(?:in|during|over|within|from|for|of)\s+)?(?:the\s+)?(?:past|last|previous|recent)\s+" + Compact)]
    private static partial Regex Rolling();

    [GeneratedRegex(@"\b(?:(?:in|during|over|within|from|for|of)\s+)?(?<count>" + Number + @")\s+" + Unit + @"\s+ago\b")]
    private static partial Regex Ago();

    [GeneratedRegex(@"\b(?:(?:in|during|over|within|from|for|of)\s+)?(?<which>this|last|previous)\s+(?<unit>week|month|quarter|year)\b(?:\s+so\s+far)?")]
    private static partial Regex Calendar();

    [GeneratedRegex(@"^(?<which>this|last)\s+(?<unit>week|month|quarter|year)$")]
    private static partial Regex CalendarPoint();

    [GeneratedRegex(@"(?:start|beginning)\s+of\s+(?:the|this)\s+(?<unit>week|month|quarter|year)$")]
    private static partial Regex StartPoint();

    [GeneratedRegex(@"^(?<count>" + Number + @")\s+" + Unit + @"(?:\s+ago)?$")]
    private static partial Regex AgoPoint();

    [GeneratedRegex(@"\b(?:(?:so\s+far\s+)?(?:on|for|from|during)\s+)?(?:last\s+)?(?<day>today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?:\s+so\s+far)?")]
    private static partial Regex Day();

    [GeneratedRegex(@"\b(?:in|during|for|from|of)\s+(?<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?!\s+\d)")]
    private static partial Regex MonthName();

    [GeneratedRegex(@"^(?<hour>\d{1,2})(?::(?<minute>\d{2}))?\s*(?<half>am|pm)?(?:\s*utc)?$")]
    private static partial Regex ClockTime();
}
