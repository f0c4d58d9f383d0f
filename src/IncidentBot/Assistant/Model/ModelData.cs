using System.Text;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// Incident records and timeline text as the model reads them: always between <see cref="Open"/> and
/// <see cref="Close"/>, each entry on one line with the citation to give for it, and nothing inside able to
/// close the block early. The system prompt says that what is inside is data and never instructions.
/// </summary>
internal static partial class ModelData
{
    public const string Open = "<incident_data>";
    public const string Close = "</incident_data>";

    /// <summary>A timeline entry's text is cut to this; the model needs the gist, and the citation leads to the rest.</summary>
    public const int MaxEntryText = 400;

    public static string Wrap(string data) => $"{Open}\n{data.TrimEnd('\n')}\n{Close}";

    /// <summary>One line of text, with anything that looks like the delimiters defused.</summary>
    public static string Clean(string? text, int max = MaxEntryText) =>
        string.IsNullOrWhiteSpace(text) ? "" : EntryClassifier.Excerpt(Delimiter().Replace(text, "‹$1"), max);

    /// <summary>Text of several lines (the model's own notes on data), with the delimiters defused and cut to <paramref name="max"/>.</summary>
    public static string CleanLines(string text, int max)
    {
        var cleaned = Delimiter().Replace(text, "‹$1").Trim();
        return cleaned.Length <= max ? cleaned : cleaned[..max] + "…";
    }

    /// <summary><c>[INC-7#123] 2026-11-02 07:31 UTC · message · &lt;@U0BOB&gt;: text</c>.</summary>
    public static string Entry(TimelineEntry entry)
    {
        var who = entry.ActorId is { } actor ? $" · {AnswerWriter.Person(actor)}{(entry.Slack?.IsBot == true ? " (bot)" : "")}" : "";
        var text = entry.DeletedAt is null ? Clean(entry.Text) : "(deleted message)";
        return $"{Cite(entry.IncidentNumber, entry.Id)} {AnswerWriter.Time(entry.OccurredAt)} · {entry.Kind.ToWireName()}{who}: {text}";
    }

    /// <summary>The incident's record; statements from it are cited <c>[INC-7]</c>.</summary>
    public static string Incident(Incident incident)
    {
        var lines = new StringBuilder()
            .Append(Line($"{Cite(incident.Number)} {incident.Reference} · {Clean(incident.Title, 200)}"))
            .Append(Line($"severity {incident.Severity.ToLabel()} ({incident.Severity.Describe()}) · status {incident.Status.ToLabel()} · commander {AnswerWriter.Person(incident.CommanderId)}"))
            .Append(Line($"services: {(incident.Services.Count == 0 ? "none recorded" : string.Join(", ", incident.Services))}"))
            .Append(Line($"declared {AnswerWriter.Time(incident.DeclaredAt)}{Optional("stable", incident.StableAt)}{Optional("resolved", incident.ResolvedAt)}"));
        Field(lines, "customer impact", incident.CustomerImpact);
        Field(lines, "description", incident.Description);
        Field(lines, "mitigation summary", incident.MitigationSummary);
        Field(lines, "resolution summary", incident.ResolutionSummary);
        foreach (var link in incident.Links.Take(10))
        {
            lines.Append(Line($"linked {link.Type.ToLabel()}: {Clean(link.Target, 200)}"));
        }

        return lines.ToString();
    }

    /// <summary>A short line for lists of incidents.</summary>
    public static string Brief(Incident incident) =>
        $"{Cite(incident.Number)} {incident.Severity.ToLabel()} · {incident.Status.ToLabel()} · {Clean(incident.Title, 160)} · "
        + $"services {(incident.Services.Count == 0 ? "none" : string.Join(", ", incident.Services))} · declared {AnswerWriter.Time(incident.DeclaredAt)}"
        + Optional("resolved", incident.ResolvedAt);

    /// <summary>Lines joined until <paramref name="maxChars"/>; what did not fit is counted, never cut mid-line.</summary>
    public static string Bounded(IEnumerable<string> lines, int maxChars)
    {
        var text = new StringBuilder();
        var left = 0;
        foreach (var line in lines)
        {
            if (left > 0 || text.Length + line.Length + 1 > maxChars)
            {
                left++;
                continue;
            }

            text.Append(line).Append('\n');
        }

        return left == 0 ? text.ToString() : text.Append($"(… {left} more not shown)\n").ToString();
    }

    public static string Cite(long number, long? entryId = null) =>
        entryId is { } id ? $"[{IncidentReference.Format(number)}#{id}]" : $"[{IncidentReference.Format(number)}]";

    private static void Field(StringBuilder lines, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            lines.Append(Line($"{label}: {Clean(value, 600)}"));
        }
    }

    private static string Optional(string label, DateTimeOffset? at) => at is { } time ? $" · {label} {AnswerWriter.Time(time)}" : "";

    private static string Line(string line) => line + "\n";

    [GeneratedRegex(@"<(/?\s*incident_data)", RegexOptions.IgnoreCase)]
    private static partial Regex Delimiter();
}
