namespace IncidentBot.DataBench;

/// <summary>One generated incident before it is written; times in Unix milliseconds.</summary>
internal sealed record IncidentPlan(
    int Number,
    FailureMode Mode,
    string Title,
    string[] Services,
    int Severity,
    string Status,
    long DeclaredAt,
    long? StableAt,
    long? ResolvedAt,
    string DeclaredBy,
    string Commander,
    string Description,
    string? Impact,
    string? Mitigation,
    string? Resolution,
    int Messages,
    bool IsLong,
    bool IsTypical)
{
    public string Channel => $"CINC{Number:D6}";
}

/// <summary>
/// Decides the incidents: declared over the past two years, a few hundred in the past two hours (most still
/// open), some long-running ones still open, the rest resolved after minutes to days; severities mostly 3 and 4;
/// message counts skewed (one incident of <see cref="DataBenchSettings.LongIncidentMessages"/>, most 50–200,
/// a tail of quiet ones, a few hundred busy ones), summing to exactly <see cref="DataBenchSettings.Messages"/>.
/// </summary>
internal static class IncidentPlanner
{
    private const long Minute = 60_000, Hour = 60 * Minute, Day = 24 * Hour;

    public static IReadOnlyList<IncidentPlan> Plan(DataBenchSettings settings, DateTimeOffset now, Random random)
    {
        var end = now.ToUnixTimeMilliseconds();
        var count = settings.Incidents;
        var recent = Math.Max(10, count / 40);
        var longRunning = Math.Max(3, count / 250);

        // (declared at, open for good) — then sorted, so numbers follow declaration order as in production.
        var declared = new List<(long At, bool Open)>(count);
        for (var i = 0; i < count; i++)
        {
            declared.Add(i switch
            {
                _ when i < recent => (end - 1 * Minute - (long)(random.NextDouble() * (2 * Hour - 2 * Minute)), false),
                _ when i < recent + longRunning => (end - Day - (long)(random.NextDouble() * 29 * Day), true),
                _ => (end - 2 * Hour - (long)(random.NextDouble() * 730 * Day), false),
            });
        }

        // The long incident: a SEV-1 DDoS declared three days ago, still active.
        declared[recent] = (end - 3 * Day, true);
        var longAt = declared[recent].At;
        declared.Sort((a, b) => a.At.CompareTo(b.At));

        var typicalAt = end - 60 * Day;
        var typicalIndex = Enumerable.Range(0, count).MinBy(i => Math.Abs(declared[i].At - typicalAt) + (declared[i].At == longAt ? long.MaxValue / 2 : 0));
        var plans = new List<IncidentPlan>(count);
        for (var i = 0; i < count; i++)
        {
            var (at, open) = declared[i];
            plans.Add(Incident(i + 1, at, open, end, at == longAt, i == typicalIndex, settings, random));
        }

        return Balance(plans, settings.Messages, random);
    }

    private static IncidentPlan Incident(int number, long at, bool open, long end, bool isLong, bool isTypical, DataBenchSettings settings, Random random)
    {
        var mode = isLong ? IncidentVocabulary.Modes[0] : PickMode(random);
        var services = mode.Services.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(3, mode.Services.Length) + 1)).ToArray();
        var title = Fill(mode.Titles[random.Next(mode.Titles.Length)], services, random);
        var severity = isLong ? 1 : random.NextDouble() switch
        {
            < 0.05 => 0,
            < 0.12 => 1,
            < 0.30 => 2,
            < 0.65 => 3,
            < 0.90 => 4,
            _ => 5,
        };

        long? stable = null, resolved = null;
        string status;
        var age = end - at;
        if (open || isLong)
        {
            status = random.NextDouble() < 0.7 || isLong ? "active" : "stable";
        }
        else if (age < 2 * Hour)
        {
            var roll = random.NextDouble();
            status = roll < 0.7 ? "active" : roll < 0.9 ? "stable" : "resolved";
        }
        else
        {
            // Log-normal durations: a median of about 90 minutes, a tail of days.
            var minutes = Math.Clamp(Math.Exp(4.5 + (Gaussian(random) * 1.0)), 10, 5 * 24 * 60);
            var resolvedAt = at + (long)(minutes * Minute);
            status = resolvedAt >= end ? "active" : random.NextDouble() < 0.85 ? "resolved" : "completed";
            if (resolvedAt < end)
            {
                resolved = resolvedAt;
            }
        }

        if (status == "resolved" && resolved is null)
        {
            resolved = at + ((end - at) / 2);
        }

        if (status is "stable" or "resolved" or "completed")
        {
            stable = at + ((resolved ?? end) - at) / 2;
        }

        var people = IncidentVocabulary.People;
        var messages = isLong ? settings.LongIncidentMessages : isTypical ? 100 : random.NextDouble() switch
        {
            < 0.02 => random.Next(400, 1_500),
            < 0.62 => random.Next(50, 201),
            _ => random.Next(2, 26),
        };
        return new IncidentPlan(
            number, mode, isLong ? "DDoS attack on edge and checkout" : title, isLong ? ["edge", "checkout", "cdn"] : services, severity, status,
            at, stable, resolved, people[random.Next(people.Length)], people[random.Next(people.Length)],
            Fill(mode.Symptoms[random.Next(mode.Symptoms.Length)], services, random),
            random.NextDouble() < 0.6 ? Fill(mode.Impacts[random.Next(mode.Impacts.Length)], services, random) : null,
            stable is null ? null : Fill(mode.Actions[random.Next(mode.Actions.Length)], services, random),
            resolved is null ? null : Fill(mode.Causes[random.Next(mode.Causes.Length)], services, random),
            messages, isLong, isTypical);
    }

    /// <summary>Adds or removes messages of the ordinary incidents until the total is exact.</summary>
    private static List<IncidentPlan> Balance(List<IncidentPlan> plans, int total, Random random)
    {
        var counts = plans.Select(p => p.Messages).ToArray();
        var difference = (long)total - counts.Sum(c => (long)c);
        var adjustable = Enumerable.Range(0, plans.Count).Where(i => !plans[i].IsLong && !plans[i].IsTypical).ToArray();
        while (difference != 0)
        {
            var i = adjustable[random.Next(adjustable.Length)];
            var most = Math.Abs(difference) / adjustable.Length + 1;
            var step = (int)(difference > 0 ? Math.Min(difference, most) : -Math.Min(Math.Min(-difference, most), counts[i] - 2));
            counts[i] += step;
            difference -= step;
        }

        return plans.Select((p, i) => p with { Messages = counts[i] }).ToList();
    }

    private static FailureMode PickMode(Random random)
    {
        var roll = random.Next(IncidentVocabulary.Modes.Sum(m => m.Weight));
        foreach (var mode in IncidentVocabulary.Modes)
        {
            if ((roll -= mode.Weight) < 0)
            {
                return mode;
            }
        }

        return IncidentVocabulary.Modes[^1];
    }

    private static string Fill(string template, string[] services, Random random) => template
        .Replace("{svc2}", IncidentVocabulary.AllServices[random.Next(IncidentVocabulary.AllServices.Length)], StringComparison.Ordinal)
        .Replace("{svc}", services[0], StringComparison.Ordinal)
        .Replace("{n}", random.Next(2, 99).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{ver}", $"v{random.Next(1, 9)}.{random.Next(0, 40)}.{random.Next(0, 9)}", StringComparison.Ordinal)
        .Replace("{region}", IncidentVocabulary.Regions[random.Next(IncidentVocabulary.Regions.Length)], StringComparison.Ordinal)
        .Replace("{db}", IncidentVocabulary.Databases[random.Next(IncidentVocabulary.Databases.Length)], StringComparison.Ordinal)
        .Replace("{host}", IncidentVocabulary.Hosts[random.Next(IncidentVocabulary.Hosts.Length)], StringComparison.Ordinal)
        .Replace("{person}", IncidentVocabulary.People[random.Next(IncidentVocabulary.People.Length)], StringComparison.Ordinal)
        .Replace("{team}", IncidentVocabulary.Teams[random.Next(IncidentVocabulary.Teams.Length)], StringComparison.Ordinal);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
