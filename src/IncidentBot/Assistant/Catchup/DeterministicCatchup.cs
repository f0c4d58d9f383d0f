using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Catchup;

/// <summary>
/// The catch-up without a model: a <see cref="TimelineDigest"/> of only the window's entries, sorted into status and
/// severity changes, new findings, actions, decisions and open questions, each line cited. An entry that fits several
/// is listed once, under the first of: change, open question, decision, finding, action. The person's own entries are
/// left out: they are no news to them.
/// </summary>
public sealed class DeterministicCatchup(IncidentPlugin plugin, TimeProvider time) : ICatchupStep
{
    public const string StateHeading = "Status and severity";
    public const string FindingsHeading = "New findings";
    public const string ActionsHeading = "Actions";
    public const string DecisionsHeading = "Decisions";
    public const string QuestionsHeading = "Open questions";

    private const int ActionCapacity = 15;

    public string Engine => AssistantEngines.Deterministic;

    public async Task<CatchupAnswer> CatchUpAsync(Incident incident, CatchupWindow window, CancellationToken cancellationToken = default)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken, ActionCapacity, window.After);
        var lines = new NewLines(incident, window.UserId);
        var changes = lines.Take(digest.StateChanges);
        var questions = lines.Take(digest.OpenQuestions);
        var decisions = lines.Take(digest.Decisions.Concat(digest.ActionItems).Concat(digest.FollowUpsAdded));
        var findings = lines.Take(FieldChange(digest, "impact").Concat(digest.Impact).Concat(digest.Hypotheses).Concat(digest.RootCause));
        var actions = lines.Take(digest.Done.Concat(digest.TryingNow));

        var writer = new AnswerWriter();
        writer.Line($"**{incident.Reference} since {window.Phrase} · {incident.Title}**");
        writer.Line($"_From the {AnswerWriter.EngineNote}: read the {digest.EntriesRead} timeline entries after {AnswerWriter.Time(window.From)}; times in UTC._");
        var answer = CatchupAnswer.Of(incident, window, digest.EntriesRead, Engine) with
        {
            StateChanges = changes,
            Findings = findings,
            Actions = actions,
            Decisions = decisions,
            OpenQuestions = questions,
        };
        if (answer.NothingNew)
        {
            writer.Line().Line(NothingNew(window));
        }
        else
        {
            WriteSections(writer, answer);
        }

        DeterministicSummary.WriteState(writer, incident, DeterministicSummary.Duration(incident, time.GetUtcNow()));
        return answer with { Text = writer.Finish(), Citations = writer.Citations };
    }

    internal static string NothingNew(CatchupWindow window) =>
        $"Nothing new since {window.Phrase}: no status or severity change, finding, action, decision or open question.";

    /// <summary>The sections that have lines, in the order a responder reads them.</summary>
    private static void WriteSections(AnswerWriter writer, CatchupAnswer answer)
    {
        foreach (var (heading, lines) in new[]
        {
            (StateHeading, answer.StateChanges), (FindingsHeading, answer.Findings), (ActionsHeading, answer.Actions),
            (DecisionsHeading, answer.Decisions), (QuestionsHeading, answer.OpenQuestions),
        })
        {
            if (lines.Count == 0)
            {
                continue;
            }

            writer.Heading(heading);
            foreach (var line in lines)
            {
                writer.Bullet(line);
            }
        }
    }

    /// <summary>The entry that set a field within the window, if one did.</summary>
    private static IEnumerable<NotedEntry> FieldChange(TimelineDigest digest, string field) =>
        digest.FieldSources.TryGetValue(field, out var entry) ? [entry] : [];

    /// <summary>Hands out each entry once, leaving out the reader's own.</summary>
    private sealed class NewLines(Incident incident, string? readerId)
    {
        private readonly HashSet<long> listed = [];

        /// <summary>The entries not listed yet, in timeline order, as cited lines.</summary>
        public IReadOnlyList<CitedLine> Take(IEnumerable<NotedEntry> entries) =>
            DigestLines.Cite(entries.Where(e => e.ActorId != readerId && listed.Add(e.Id)).OrderBy(e => e.At).ThenBy(e => e.Id), incident);
    }
}
