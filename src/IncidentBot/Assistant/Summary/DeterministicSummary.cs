using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Summary;

/// <summary>
/// The summary without a model: the incident's state, then impact, what was done, what is being tried and the open
/// questions, each line cited, from a <see cref="TimelineDigest"/> of the whole timeline read part by part.
/// </summary>
public sealed class DeterministicSummary(IncidentPlugin plugin, TimeProvider time) : ISummaryStep
{
    public string Engine => AssistantEngines.Deterministic;

    public async Task<SummaryAnswer> SummarizeAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken);
        var open = incident.Status.IsOpen();
        var duration = Duration(incident, time.GetUtcNow());
        var impact = DigestLines.Impact(incident, digest);
        var done = DigestLines.Cite(digest.Done, incident);
        var trying = open ? DigestLines.Cite(digest.TryingNow, incident) : [];
        var questions = DigestLines.Cite(digest.OpenQuestions.TakeLast(3), incident);
        var hypothesis = Hypothesis(incident, digest);

        var writer = new AnswerWriter();
        writer.Line($"**Summary of {incident.Reference} · {incident.Title}**");
        writer.Line($"_From the {AnswerWriter.EngineNote}: read {digest.EntriesRead} timeline entries in {AnswerWriter.Parts(digest.Parts)}; times in UTC._");
        WriteState(writer, incident, duration);
        if (incident.Services.Count > 0)
        {
            writer.Bullet($"Services: {string.Join(", ", incident.Services)}", new Citation(incident.Number));
        }

        Section(writer, "Impact", impact, "Nothing recorded yet.");
        if (hypothesis.Count > 0)
        {
            Section(writer, "Current hypothesis / root cause", hypothesis, "");
        }

        Section(writer, "What has been done", done, "Nothing recorded yet.");
        Section(writer, "Being tried now", trying,
            open ? "Nothing recorded since the last status change." : $"Nothing: the incident is {incident.Status.ToLabel()}.");
        Section(writer, "Open questions", questions, "None: every question in the timeline got a reply.");
        return new SummaryAnswer
        {
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incident = IncidentBrief.Of(incident),
            Duration = duration,
            EntriesRead = digest.EntriesRead,
            Parts = digest.Parts,
            Impact = impact,
            Done = done,
            TryingNow = trying,
            OpenQuestions = questions,
            Hypothesis = hypothesis,
        };
    }

    /// <summary>The latest stated root cause; without one, the latest hypothesis, said to be one.</summary>
    private static IReadOnlyList<CitedLine> Hypothesis(Incident incident, TimelineDigest digest)
    {
        if (digest.RootCause.Count > 0)
        {
            var cause = AnswerWriter.Cite(digest.RootCause[^1], incident.DeclaredAt);
            return [cause with { Text = $"{cause.Text} _(stated as the cause)_" }];
        }

        if (digest.Hypotheses.Count > 0)
        {
            var guess = AnswerWriter.Cite(digest.Hypotheses[^1], incident.DeclaredAt);
            return [guess with { Text = $"{guess.Text} _(a hypothesis, not confirmed)_" }];
        }

        return [];
    }

    /// <summary>How long the incident has been open, or was open until it was resolved.</summary>
    internal static TimeSpan Duration(Incident incident, DateTimeOffset now)
    {
        var end = incident.Status.IsOpen() ? now : incident.ResolvedAt ?? incident.UpdatedAt;
        return end > incident.DeclaredAt ? end - incident.DeclaredAt : TimeSpan.Zero;
    }

    /// <summary>The "Current state" heading and its first line: status, severity, commander and how long.</summary>
    internal static void WriteState(AnswerWriter writer, Incident incident, TimeSpan duration)
    {
        writer.Heading("Current state");
        writer.Bullet(
            $"Status **{incident.Status.ToLabel()}** · {incident.Severity.ToLabel()} ({incident.Severity.Describe()}) · commander {AnswerWriter.Person(incident.CommanderId)} · {DurationPhrase(incident, duration)}",
            new Citation(incident.Number));
    }

    private static string DurationPhrase(Incident incident, TimeSpan duration) =>
        incident.Status.IsOpen()
            ? $"open for {AnswerWriter.Duration(duration)} (declared {AnswerWriter.Time(incident.DeclaredAt)})"
            : $"{incident.Status.ToLabel()} after {AnswerWriter.Duration(duration)} (declared {AnswerWriter.Time(incident.DeclaredAt)}, resolved {AnswerWriter.Time(incident.ResolvedAt ?? incident.UpdatedAt)})";

    private static void Section(AnswerWriter writer, string heading, IReadOnlyList<CitedLine> lines, string whenEmpty)
    {
        writer.Heading(heading);
        if (lines.Count == 0)
        {
            writer.Line($"- {whenEmpty}");
        }

        foreach (var line in lines)
        {
            writer.Bullet(line);
        }
    }
}
