using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Incidents over time and across services: how many were declared in each day, week (from Monday, UTC) or month,
/// and how many each service or severity had. Counted from the incidents themselves, each listed, so every figure
/// can be checked.
/// </summary>
internal sealed class IncidentTrends(IncidentSets sets, TimeProvider time)
{
    /// <summary>Without a time frame a trend covers the current step and a few before: 7 days, 4 weeks or 6 months.</summary>
    private static readonly (int Days, int Weeks, int Months) DefaultSteps = (7, 4, 6);

    public async Task<QuestionAnswer> TrendAsync(AssistantQuestion question, IncidentSets.Filters filters, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var step = question.Per ?? "week";
        var (back, steps) = step switch { "day" => (DefaultSteps.Days, "days"), "month" => (DefaultSteps.Months, "months"), _ => (DefaultSteps.Weeks, "weeks") };
        var since = question.Since ?? Back(step, StartOf(step, now), back - 1);
        var until = question.Until ?? now;
        var asked = question.Since is null ? question with { Since = since, Until = until, Window = $"this {step} and the {back - 1} {steps} before (since {AnswerWriter.Time(since)})" } : question;
        var filter = IncidentSets.Filter(asked, filters) with { DeclaredFrom = since, DeclaredUntil = until };
        var (count, incidents) = await sets.FindAsync(filter, asked, filters, IncidentFilter.MaxLimit, cancellationToken);

        var buckets = new List<(DateTimeOffset Start, DateTimeOffset End, List<Incident> Incidents)>();
        for (var start = StartOf(step, since); start < until; start = Next(step, start))
        {
            var end = Next(step, start) < until ? Next(step, start) : until;
            buckets.Add((start, end, incidents.Where(i => i.DeclaredAt >= start && i.DeclaredAt < end).ToList()));
        }

        var writer = new AnswerWriter();
        writer.Line($"**{count}** {IncidentSets.Describe(asked, filters, "declared")}, by {step}:");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}; {(step == "week" ? "weeks from Monday, " : "")}times in UTC._");
        writer.Line();
        foreach (var (start, end, within) in buckets)
        {
            var label = $"{Label(step, start)}{(start < since ? $" (from {since:yyyy-MM-dd})" : "")}{(end < Next(step, start) ? " (so far)" : "")}";
            writer.Bullet($"{label}: **{within.Count}**{References(within)}", [.. within.Select(i => new Citation(i.Number))]);
        }

        if (buckets.Count >= 2)
        {
            writer.Line().Line(Direction(buckets.Select(b => b.Incidents.Count).ToList(), step));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. incidents.Take(IncidentSets.MaxListed).Select(IncidentBrief.Of)],
            Count = count,
        };
    }

    public async Task<QuestionAnswer> BreakdownAsync(AssistantQuestion question, IncidentSets.Filters filters, CancellationToken cancellationToken)
    {
        var filter = question.DeclaredInFrame
            ? IncidentSets.Filter(question, filters) with { DeclaredFrom = question.Since, DeclaredUntil = question.Until }
            : IncidentSets.Filter(question, filters) with { ActiveFrom = question.Since, ActiveUntil = question.Until };
        var (count, incidents) = await sets.FindAsync(filter, question, filters, IncidentFilter.MaxLimit, cancellationToken);
        var bySeverity = question.Per == "severity";
        var groups = incidents
            .SelectMany(i => bySeverity ? [i.Severity.ToLabel()] : i.Services.Count > 0 ? i.Services : ["(no service)"], (incident, key) => (key, incident))
            .GroupBy(p => p.key, p => p.incident)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var writer = new AnswerWriter();
        var description = IncidentSets.Describe(question, filters, question.DeclaredInFrame ? "declared" : "open at some time");
        if (groups.Count == 0)
        {
            writer.Line($"No {description}, so nothing to count by {question.Per}.");
        }
        else
        {
            var most = groups.TakeWhile(g => g.Count() == groups[0].Count()).Select(g => $"**{g.Key}**").ToList();
            var among = $"of the {count} {(count == 1 ? IncidentSets.Singular(description) : description)}";
            writer.Line(most.Count == 1
                ? $"{most[0]} has the most: **{groups[0].Count()}** {among}. By {question.Per}:"
                : $"{string.Join(" and ", most)} have the most: **{groups[0].Count()}** each {among}. By {question.Per}:");
        }

        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}{(bySeverity ? "" : "; an incident with several services counts for each")}._");
        writer.Line();
        foreach (var group in groups)
        {
            writer.Bullet($"{group.Key}: **{group.Count()}**{References([.. group])}", [.. group.Select(i => new Citation(i.Number))]);
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. groups.FirstOrDefault()?.Select(IncidentBrief.Of) ?? []],
            Count = groups.FirstOrDefault()?.Count() ?? 0,
        };
    }

    /// <summary>The newer half of the steps against the older half: up, down or level, with both sums.</summary>
    private static string Direction(IReadOnlyList<int> counts, string step)
    {
        var half = counts.Count / 2;
        var older = counts.Take(counts.Count - half).Sum();
        var newer = counts.Skip(counts.Count - half).Sum();
        var word = newer > older ? "**Up**" : newer < older ? "**Down**" : "**Level**";
        var steps = half == 1 ? $"{step}" : $"{half} {step}s";
        return $"{word}: {newer} in the latest {steps} (the current one so far), {older} in the {counts.Count - half} {(counts.Count - half == 1 ? step : step + "s")} before.";
    }

    private static string References(IReadOnlyList<Incident> incidents) =>
        incidents.Count == 0 ? "" : $" — {string.Join(", ", incidents.Select(i => i.Reference))}";

    private static DateTimeOffset StartOf(string step, DateTimeOffset at)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return step switch
        {
            "day" => day,
            "month" => new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        };
    }

    private static DateTimeOffset Back(string step, DateTimeOffset start, int count) => step switch
    {
        "day" => start.AddDays(-count),
        "month" => start.AddMonths(-count),
        _ => start.AddDays(-7 * count),
    };

    private static DateTimeOffset Next(string step, DateTimeOffset start) => step switch
    {
        "day" => start.AddDays(1),
        "month" => start.AddMonths(1),
        _ => start.AddDays(7),
    };

    private static string Label(string step, DateTimeOffset start) => step switch
    {
        "day" => start.ToString("yyyy-MM-dd (ddd)", System.Globalization.CultureInfo.InvariantCulture),
        "month" => start.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
        _ => $"Week of {start:yyyy-MM-dd}",
    };
}
