namespace IncidentBot.Assistant.Model;

/// <summary>
/// Reads the sections of a model's answer under the headings it was asked to use, however it wrote them
/// (<c>**Impact**</c>, <c>## Impact</c>, <c>Impact:</c>). Lines before the first heading belong to "".
/// </summary>
internal static class ModelSections
{
    public static Dictionary<string, List<string>> Split(string text, IReadOnlyList<string> headings)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { [""] = [] };
        var current = "";
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            var heading = HeadingOf(line, headings);
            if (heading is not null)
            {
                current = heading;
                sections.TryAdd(current, []);
                continue;
            }

            if (line.Length > 0 || sections[current].Count > 0)
            {
                sections[current].Add(line);
            }
        }

        foreach (var lines in sections.Values)
        {
            while (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }
        }

        return sections;
    }

    /// <summary>A bullet's text without its marker, or null when the line is not a bullet.</summary>
    public static string? BulletText(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length > 1 && trimmed[0] is '-' or '*' or '•' && trimmed[1] == ' ' ? trimmed[2..].Trim() : null;
    }

    /// <summary>"None." and the like: a bullet that says there is nothing.</summary>
    public static bool SaysNothing(string text) =>
        text.TrimEnd('.', ' ').ToLowerInvariant() is "none" or "nothing" or "none yet" or "nothing recorded" or "n/a" or "";

    private static string? HeadingOf(string line, IReadOnlyList<string> headings)
    {
        var bare = line.Trim().TrimStart('#').Trim().Trim('*', '_').Trim().TrimEnd(':').Trim('*', '_').Trim();
        return bare.Length == 0 || bare.Length > 40 ? null : headings.FirstOrDefault(h => h.Equals(bare, StringComparison.OrdinalIgnoreCase));
    }
}
