using System.Text.RegularExpressions;
using IncidentBot.Slack.Models;

namespace IncidentBot.Incidents;

/// <summary>Limits and normal forms of the incident's fields; everything that enters the store passes here.</summary>
public static partial class IncidentFieldRules
{
    public const int MaxTitleLength = 200;
    public const int MaxDetailLength = 4_000;
    public const int MaxTimelineTextLength = 40_000;
    public const int MaxServices = 30;
    public const int MaxServiceLength = 80;
    public const int MaxLinkTargetLength = 2_000;
    public const int MaxUserIdLength = 64;

    public static string Title(string? title, string field = "title")
    {
        var normal = Whitespace().Replace(title ?? "", " ").Trim();
        // Zero-width and direction marks alone would make an incident nobody can see the title of.
        if (!normal.Any(IsVisible))
        {
            throw new IncidentValidationException(field, "A title is required.");
        }

        return normal.Length <= MaxTitleLength
            ? normal
            : throw new IncidentValidationException(field, $"The title is {normal.Length} characters; at most {MaxTitleLength} fit.");
    }

    /// <summary>Free text such as impact or a summary; empty text clears the field.</summary>
    public static string? Detail(string? text, string field, int maxLength = MaxDetailLength)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length <= maxLength
            ? trimmed
            : throw new IncidentValidationException(field, $"The {field} is {trimmed.Length} characters; at most {maxLength} fit.");
    }

    public static string TimelineText(string? text, string field = "message") =>
        Detail(text, field, MaxTimelineTextLength)
        ?? throw new IncidentValidationException(field, "The message is empty.");

    /// <summary>Service names are compared case-insensitively, so they are kept in lower case.</summary>
    public static IReadOnlyList<string> Services(IEnumerable<string>? services, string field = "services")
    {
        var result = new List<string>();
        foreach (var raw in services ?? [])
        {
            var name = Whitespace().Replace(raw ?? "", " ").Trim().ToLowerInvariant();
            if (name.Length == 0)
            {
                continue;
            }

            if (name.Length > MaxServiceLength || name.Contains(','))
            {
                throw new IncidentValidationException(field, $"'{Shorten(name)}' is not a service name: at most {MaxServiceLength} characters, no commas.");
            }

            if (!result.Contains(name))
            {
                result.Add(name);
            }
        }

        return result.Count <= MaxServices
            ? result
            : throw new IncidentValidationException(field, $"{result.Count} services given; at most {MaxServices} fit.");
    }

    /// <summary>
    /// Any id of a person or system without spaces (<c>U0123</c>, <c>github:octocat</c>); a Slack mention
    /// (<c>&lt;@U0123|name&gt;</c>, as people paste them into the API too) is kept as the user id it names.
    /// </summary>
    public static string? UserId(string? user, string field)
    {
        var trimmed = user?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var id = SlackUserId.TryParseMention(trimmed, out var mentioned) ? mentioned.Value : trimmed;
        return id.Length <= MaxUserIdLength && !id.Any(char.IsWhiteSpace)
            ? id
            : throw new IncidentValidationException(field, $"'{Shorten(id)}' is not a user id.");
    }

    public static string LinkTarget(string? target, string field = "targetId")
    {
        var trimmed = target?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxLinkTargetLength)
        {
            throw new IncidentValidationException(field, $"Give an id or a URL of at most {MaxLinkTargetLength} characters.");
        }

        var looksLikeUrl = trimmed.Contains("://", StringComparison.Ordinal);
        if (looksLikeUrl && !(Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new IncidentValidationException(field, $"'{Shorten(trimmed)}' is not an http(s) URL.");
        }

        return trimmed;
    }

    /// <summary>An impact cannot start after the moment it is reported.</summary>
    public static DateTimeOffset? ImpactStart(DateTimeOffset? start, DateTimeOffset now, string field = "impactStartedAt") =>
        start is { } at && at > now
            ? throw new IncidentValidationException(field, $"The impact start {TimeText.Utc(at)} is in the future; give the moment customers started to feel it.")
            : ToMilliseconds(start);

    /// <summary>The store keeps milliseconds; times cut to them read back equal to what was written.</summary>
    public static DateTimeOffset? ToMilliseconds(DateTimeOffset? time) =>
        time is { } t ? t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMillisecond)) : null;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
