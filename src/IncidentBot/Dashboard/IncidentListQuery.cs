using System.Globalization;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Dashboard;

/// <summary>
/// The list page's filters as they stand in its URL (<c>?status=active&amp;severity=SEV-1&amp;from=2026-11-01</c>), read
/// into one <see cref="IncidentFilter"/>. A value that cannot be read is said back in product words.
/// </summary>
public sealed record IncidentListQuery(string? Status, string? Severity, string? Service, string? Environment, string? From, string? To, long? Before)
{
    public const int PageSize = 25;

    /// <summary>The <c>open</c> status choice: active or stable.</summary>
    public const string Open = "open";

    public bool IsFiltered =>
        new[] { Status, Severity, Service, Environment, From, To }.Any(value => !string.IsNullOrWhiteSpace(value));

    /// <returns>The filter for one page, or the problems with the URL's values.</returns>
    public (IncidentFilter? Filter, IReadOnlyList<string> Problems) ToFilter()
    {
        var problems = new List<string>();
        var filter = new IncidentFilter
        {
            Statuses = ReadStatuses(problems),
            Severities = ReadSeverity(problems),
            Services = Blank(Service) ? null : [Service!.Trim()],
            Environment = Blank(Environment) ? null : Environment!.Trim(),
            DeclaredFrom = ReadDate(From, "from", problems),
            DeclaredUntil = ReadDate(To, "to", problems)?.AddDays(1).AddMilliseconds(-1),
            BeforeNumber = Before,
            Limit = PageSize,
        };
        if (filter.DeclaredFrom > filter.DeclaredUntil)
        {
            problems.Add("The date range ends before it starts: 'from' must be on or before 'to'.");
        }

        return problems.Count == 0 ? (filter, problems) : (null, problems);
    }

    /// <summary>This query's URL with some values changed; the page cursor is dropped unless given.</summary>
    public string Url(long? before = null) => QueryString.Create(new Dictionary<string, string?>
        {
            ["status"] = Status, ["severity"] = Severity, ["service"] = Service, ["environment"] = Environment,
            ["from"] = From, ["to"] = To, ["before"] = before?.ToString(CultureInfo.InvariantCulture),
        }.Where(pair => !string.IsNullOrWhiteSpace(pair.Value))).ToUriComponent() is var query and { Length: > 0 }
        ? "/incidents" + query
        : "/incidents";

    private IReadOnlyCollection<IncidentStatus>? ReadStatuses(List<string> problems)
    {
        if (Blank(Status))
        {
            return null;
        }

        if (string.Equals(Status!.Trim(), Open, StringComparison.OrdinalIgnoreCase))
        {
            return IncidentFilter.OpenStatuses;
        }

        if (IncidentStatusText.TryParse(Status, out var status))
        {
            return [status];
        }

        problems.Add($"'{Status}' is not a status: use open, active, stable, resolved or completed.");
        return null;
    }

    private IReadOnlyCollection<Severity>? ReadSeverity(List<string> problems)
    {
        if (Blank(Severity))
        {
            return null;
        }

        if (SeverityText.TryParse(Severity, out var severity))
        {
            return [severity];
        }

        problems.Add($"'{Severity}' is not a severity: use {SeverityText.Accepted}.");
        return null;
    }

    private static DateTimeOffset? ReadDate(string? text, string name, List<string> problems)
    {
        if (Blank(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        problems.Add($"'{text}' is not a date for '{name}': write it as 2026-11-02.");
        return null;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
