using System.Globalization;
using System.Text;

namespace IncidentBot.SlackApp;

/// <summary>
/// Incident channels are named <c>incident-&lt;n&gt;-&lt;slug of title&gt;</c>: lower case, only
/// <c>a-z 0-9 - _</c>, at most 80 characters; when a name is taken the next try adds <c>-2</c>, <c>-3</c>….
/// </summary>
public static class ChannelNamer
{
    public const int MaxLength = 80;

    /// <param name="attempt">1 for the plain name, 2 for the name with <c>-2</c>, and so on.</param>
    public static string Name(long number, string title, int attempt = 1)
    {
        var prefix = $"incident-{number.ToString(CultureInfo.InvariantCulture)}";
        var suffix = attempt > 1 ? $"-{attempt.ToString(CultureInfo.InvariantCulture)}" : "";
        var room = MaxLength - prefix.Length - suffix.Length - 1;
        var slug = Slug(title, room);
        return slug.Length == 0 ? prefix + suffix : $"{prefix}-{slug}{suffix}";
    }

    /// <summary>Letters lose their accents; anything else becomes a hyphen; runs of hyphens collapse.</summary>
    public static string Slug(string title, int maxLength)
    {
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            {
                slug.Append(lower);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString();
        if (text.Length > maxLength)
        {
            // Cut at a word boundary when one is near, so the name does not end mid-word.
            var cut = text[..Math.Max(0, maxLength)];
            var lastHyphen = cut.LastIndexOf('-');
            text = lastHyphen >= maxLength / 2 ? cut[..lastHyphen] : cut;
        }

        return text.Trim('-');
    }
}
