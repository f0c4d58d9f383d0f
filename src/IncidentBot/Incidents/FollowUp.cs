using System.Globalization;
using System.Text.RegularExpressions;
using IncidentBot.Slack.Models;

namespace IncidentBot.Incidents;

public enum FollowUpStatus
{
    Open,
    Done,
}

/// <summary>Work agreed during an incident for after it, numbered 1, 2, … within the incident.</summary>
public sealed record FollowUp(int Id, string Text, string? OwnerId, DateOnly? DueOn, FollowUpStatus Status, DateTimeOffset CreatedAt, string? CreatedBy)
{
    public DateTimeOffset? DoneAt { get; init; }
}

/// <summary>A follow-up to add: the text, and who owns it by when, as given.</summary>
public sealed record NewFollowUp(string Text, string? OwnerId = null, DateOnly? DueOn = null);

/// <summary>What to change of a follow-up; null means "leave as it is".</summary>
public sealed record FollowUpEdit(string? Text = null, string? OwnerId = null, DateOnly? DueOn = null, FollowUpStatus? Status = null);

public static class FollowUpStatusText
{
    public const string Accepted = "open or done";

    public static string ToLabel(this FollowUpStatus status) => status == FollowUpStatus.Done ? "done" : "open";

    public static bool TryParse(string? text, out FollowUpStatus status)
    {
        status = FollowUpStatus.Open;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "open":
            case "todo":
                return true;
            case "done":
            case "closed":
                status = FollowUpStatus.Done;
                return true;
            default:
                return false;
        }
    }
}

/// <summary>
/// <c>&lt;text&gt; [@owner] [due &lt;date&gt;]</c>, as <c>/incident followup</c> and the mention <c>follow-up: …</c> take
/// it. The date is a day (<c>2026-12-15</c>), <c>today</c>, <c>tomorrow</c>, a weekday (the next one) or
/// <c>in 2 weeks</c>; <see cref="DueOn"/> resolves it against today. Pure.
/// </summary>
public sealed partial record FollowUpRequest(string Text, string? OwnerId, string? Due)
{
    public const string Syntax = "<text> [@owner] [due <date>]";
    public const string DueForms = "2026-12-15, today, tomorrow, friday or in 2 weeks";

    /// <returns>Null when no text is left once the owner and the due date are taken off the end.</returns>
    public static FollowUpRequest? Parse(string text)
    {
        var rest = text.Trim();
        string? owner = null;
        string? due = null;
        for (var i = 0; i < 2; i++)
        {
            if (owner is null && TrailingOwner().Match(rest) is { Success: true } mention && SlackUserId.TryParseMention(mention.Groups["owner"].Value, out var id))
            {
                owner = id.Value;
                rest = rest[..mention.Index].TrimEnd();
            }
            else if (due is null && TrailingDue().Match(rest) is { Success: true } date)
            {
                due = date.Groups["due"].Value.Trim();
                rest = rest[..date.Index].TrimEnd();
            }
        }

        rest = rest.TrimEnd(',', ';', '-', '–', '—', ' ');
        return rest.Length == 0 ? null : new FollowUpRequest(rest, owner, due);
    }

    /// <exception cref="IncidentValidationException">The due date is not one of <see cref="DueForms"/>.</exception>
    public DateOnly? DueOn(DateOnly today) => Due is null ? null : ParseDue(Due, today)
        ?? throw new IncidentValidationException("dueOn", $"'{Due}' is not a date; write {DueForms}.");

    public NewFollowUp ToNew(DateOnly today) => new(Text, OwnerId, DueOn(today));

    public static DateOnly? ParseDue(string due, DateOnly today)
    {
        var word = due.Trim().ToLowerInvariant();
        if (DateOnly.TryParseExact(word, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        if (word is "today" or "tomorrow")
        {
            return word == "today" ? today : today.AddDays(1);
        }

        if (InDays().Match(word) is { Success: true } within)
        {
            var count = int.Parse(within.Groups["count"].ValueSpan, CultureInfo.InvariantCulture);
            return today.AddDays(within.Groups["unit"].Value.StartsWith('w') ? 7 * count : count);
        }

        // A weekday is the next one: "friday" said on a Friday is a week away.
        var name = word.StartsWith("next ", StringComparison.Ordinal) ? word[5..] : word;
        var weekday = name.Length < 3 ? null : Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>()
            .FirstOrDefault(d => d.ToString()!.StartsWith(name, StringComparison.OrdinalIgnoreCase));
        return weekday is { } next ? today.AddDays(((int)next - (int)today.DayOfWeek + 6) % 7 + 1) : null;
    }

    [GeneratedRegex(@"(?:^|\s)(?<owner>" + SlackMarkup.UserMentionPattern + @")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingOwner();

    [GeneratedRegex(@"(?:^|\s)(?:due|by)\s+(?<due>\d{4}-\d{2}-\d{2}|today|tomorrow|in\s+\d{1,3}\s*(?:days?|d|weeks?|w)|(?:next\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingDue();

    [GeneratedRegex(@"^in\s+(?<count>\d{1,3})\s*(?<unit>days?|d|weeks?|w)$")]
    private static partial Regex InDays();
}
