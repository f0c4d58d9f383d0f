using System.Globalization;
using System.Text;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.Assistant;

/// <summary>
/// Writes an answer as Markdown that Slack shows well (bold, bullets, links; no tables), numbering each
/// source once and listing the sources at the end.
/// </summary>
internal sealed class AnswerWriter
{
    private readonly StringBuilder text = new();
    private readonly List<Citation> citations = [];

    public IReadOnlyList<Citation> Citations => citations;

    public AnswerWriter Line(string line = "")
    {
        text.Append(line).Append('\n');
        return this;
    }

    public AnswerWriter Heading(string heading) => Line().Line($"**{heading}**");

    /// <summary>A bullet followed by the markers of its sources, e.g. <c>- Rolled back [[3]](https://…)</c>.</summary>
    public AnswerWriter Bullet(string line, params IEnumerable<Citation> sources) => Line($"- {line}{Markers(sources)}");

    public AnswerWriter Bullet(CitedLine line) => Bullet(line.Text, line.Sources);

    /// <summary>" [1] [[2]](permalink)": each source numbered once, linked to Slack when it came from there.</summary>
    public string Markers(IEnumerable<Citation> sources)
    {
        var markers = new StringBuilder();
        foreach (var source in sources)
        {
            var index = citations.IndexOf(source);
            if (index < 0)
            {
                citations.Add(source);
                index = citations.Count - 1;
            }

            var number = (index + 1).ToString(CultureInfo.InvariantCulture);
            markers.Append(source.Permalink is { } link ? $" [[{number}]]({link})" : $" [{number}]");
        }

        return markers.ToString();
    }

    /// <summary>The text with the numbered list of sources at the end.</summary>
    public string Finish(string sourcesHeading = "Sources")
    {
        if (citations.Count > 0)
        {
            Heading(sourcesHeading);
            for (var i = 0; i < citations.Count; i++)
            {
                Line($"{i + 1}. {citations[i]}");
            }
        }

        return text.ToString().Trim('\n') + "\n";
    }

    public static string EngineNote => "deterministic engine, no model";

    public static string Parts(int parts) => parts == 1 ? "1 part" : $"{parts} parts";

    public static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static string Time(DateTimeOffset time) => TimeText.Utc(time);

    public static string ShortTime(DateTimeOffset time, DateTimeOffset reference) =>
        time.UtcDateTime.Date == reference.UtcDateTime.Date
            ? time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => TimeText.Duration(span);

    public static string Person(string? userId) =>
        userId is null ? "nobody" : SlackUserId.TryParse(userId, out var user) ? user.Mention : userId;

    /// <summary><c>INC-4 · SEV-1 · active · Checkout failing</c>.</summary>
    public static string Describe(IncidentBrief incident) =>
        $"**{incident.Reference}** · {incident.Severity.ToLabel()} · {incident.Status.ToLabel()} · {incident.Title}";

    /// <summary>A noted entry as a bullet: <c>09:14 &lt;@U1&gt;: Rolled back …</c>.</summary>
    public static string Describe(NotedEntry entry, DateTimeOffset reference) =>
        entry.ActorId is null
            ? $"{ShortTime(entry.At, reference)} {entry.Text}"
            : $"{ShortTime(entry.At, reference)} {Person(entry.ActorId)}: {entry.Text}";

    public static CitedLine Cite(NotedEntry entry, DateTimeOffset reference) =>
        new(Describe(entry, reference), [entry.Citation], entry.At, entry.ActorId);
}
