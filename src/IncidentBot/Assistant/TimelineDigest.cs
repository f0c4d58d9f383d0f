using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant;

/// <summary>A timeline entry as the digest keeps it: short text, and enough to cite it.</summary>
internal sealed record NotedEntry(
    long Id, long IncidentNumber, TimelineEntryKind Kind, DateTimeOffset At, string? ActorId, string Text, string? Permalink, int Priority)
{
    public Citation Citation => new(IncidentNumber, Id, Permalink);

    public static NotedEntry Of(TimelineEntry entry, int priority = 0) => new(
        entry.Id, entry.IncidentNumber, entry.Kind, entry.OccurredAt, entry.ActorId, EntryClassifier.Excerpt(entry.Text, 300),
        entry.Slack?.Permalink, priority);
}

/// <summary>
/// Reads a timeline of any length one page (part) at a time and keeps only bounded lists of what matters,
/// so memory stays flat however long the incident ran: what was done, what is being tried, the impact,
/// open questions, root cause, resolution, follow-ups. Each kept line remembers the entry it came from.
/// </summary>
/// <remarks>
/// Open questions: a Slack message or a post (update, action, resolution, e.g. through REST) ending in '?' is open
/// until a later message or post by someone else replies in its thread, mentions the asker, or, among the next
/// three, starts like an answer ("yes", "no", "confirmed", "it was …"). Only the five most recent open questions are
/// kept. What was done holds actions only: state changes, summaries set, action and resolution posts, and updates or
/// messages that say something was done ("rolled back", "restarted"); not questions, observations or hypotheses.
/// </remarks>
internal sealed class TimelineDigest(int doneCapacity = 12, int keyEventCapacity = 40)
{
    /// <summary>Timeline entries read per part; a digest holds one part at a time, whatever the timeline's length.</summary>
    public const int PageSize = 500;

    private const int AnswerWindow = 3;

    private readonly List<NotedEntry> done = [];
    private readonly List<NotedEntry> keyEvents = [];
    private readonly List<NotedEntry> trying = [];
    private readonly List<NotedEntry> impact = [];
    private readonly List<NotedEntry> rootCause = [];
    private readonly List<NotedEntry> resolution = [];
    private readonly List<NotedEntry> actionItems = [];
    private readonly List<NotedEntry> lessons = [];
    private readonly List<NotedEntry> hypotheses = [];
    private readonly List<NotedEntry> stateChanges = [];
    private readonly List<NotedEntry> decisions = [];
    private readonly List<NotedEntry> followUpsAdded = [];
    private readonly List<PendingQuestion> questions = [];
    private DateTimeOffset? lastStatusChange;

    public int EntriesRead { get; private set; }

    public int Parts { get; private set; }

    /// <summary>Messages and posts people wrote, deleted ones not counted.</summary>
    public int WrittenEntries { get; private set; }

    public IReadOnlyList<NotedEntry> Done => done;

    /// <summary>The events a postmortem's timeline lists: declaration, state changes, actions, alerts, causes, attempts.</summary>
    public IReadOnlyList<NotedEntry> KeyEvents => keyEvents;

    /// <summary>The latest three attempts or hypotheses since the last status change.</summary>
    public IReadOnlyList<NotedEntry> TryingNow => trying.Where(t => lastStatusChange is null || t.At >= lastStatusChange).ToList();

    public IReadOnlyList<NotedEntry> Impact => impact;

    public IReadOnlyList<NotedEntry> RootCause => rootCause;

    public IReadOnlyList<NotedEntry> Resolution => resolution;

    public IReadOnlyList<NotedEntry> ActionItems => actionItems;

    public IReadOnlyList<NotedEntry> Lessons => lessons;

    /// <summary>The latest three hypotheses ("hypothesis: …", "I suspect …", "might be …"), oldest first.</summary>
    public IReadOnlyList<NotedEntry> Hypotheses => hypotheses;

    public IReadOnlyList<NotedEntry> OpenQuestions => questions.Select(q => q.Entry).ToList();

    /// <summary>The latest ten status, severity and commander changes, oldest first.</summary>
    public IReadOnlyList<NotedEntry> StateChanges => stateChanges;

    /// <summary>The latest five decisions ("decided to …", "we agreed …", "going with …"), oldest first.</summary>
    public IReadOnlyList<NotedEntry> Decisions => decisions;

    /// <summary>The latest ten follow-ups added (tracked on the incident itself, which a postmortem lists), oldest first.</summary>
    public IReadOnlyList<NotedEntry> FollowUpsAdded => followUpsAdded;

    /// <summary>The entry that last set a field (impact, mitigation or resolution summary), to cite it.</summary>
    public Dictionary<string, NotedEntry> FieldSources { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the timeline of the incident one page at a time into a digest of bounded size: all of it, or only what
    /// comes after <paramref name="after"/>.
    /// </summary>
    public static async Task<TimelineDigest> ReadAsync(
        IncidentPlugin plugin, Incident incident, CancellationToken cancellationToken, int doneCapacity = 12, TimelineCursor? after = null)
    {
        var digest = new TimelineDigest(doneCapacity);
        var cursor = after?.ToString();
        do
        {
            var page = await plugin.GetTimelinePageAsync(incident.Reference, cursor, PageSize, cancellationToken);
            digest.Read(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return digest;
    }

    /// <summary>Folds one page of the timeline (oldest first) into the digest.</summary>
    public void Read(IReadOnlyList<TimelineEntry> page)
    {
        if (page.Count == 0)
        {
            return;
        }

        Parts++;
        foreach (var entry in page)
        {
            EntriesRead++;
            Read(entry);
        }
    }

    private void Read(TimelineEntry entry)
    {
        switch (entry.Kind)
        {
            case TimelineEntryKind.Declared:
                AddBounded(keyEvents, NotedEntry.Of(entry, 4), keyEventCapacity);
                break;
            case TimelineEntryKind.StatusChanged:
                lastStatusChange = entry.OccurredAt;
                AddState(entry);
                AddLatest(stateChanges, NotedEntry.Of(entry), 10);
                break;
            case TimelineEntryKind.SeverityChanged or TimelineEntryKind.CommanderChanged:
                AddState(entry);
                AddLatest(stateChanges, NotedEntry.Of(entry), 10);
                break;
            case TimelineEntryKind.ServicesChanged
                or TimelineEntryKind.ResourceLinked or TimelineEntryKind.AlertChanged:
                AddState(entry);
                break;
            case TimelineEntryKind.FollowUpAdded:
                AddLatest(followUpsAdded, NotedEntry.Of(entry), 10);
                break;
            case TimelineEntryKind.DetailsChanged:
                ReadDetailsChange(entry);
                break;
            case TimelineEntryKind.Action or TimelineEntryKind.Resolution or TimelineEntryKind.Update when EntryClassifier.IsWritten(entry):
                ReadPost(entry);
                break;
            case TimelineEntryKind.Message when EntryClassifier.IsWritten(entry):
                ReadMessage(entry);
                break;
        }
    }

    private void AddState(TimelineEntry entry)
    {
        AddBounded(done, NotedEntry.Of(entry, 3), doneCapacity);
        AddBounded(keyEvents, NotedEntry.Of(entry, 3), keyEventCapacity);
    }

    private void ReadDetailsChange(TimelineEntry entry)
    {
        var field = entry.Data?["field"]?.GetValue<string>();
        if (field is null)
        {
            return;
        }

        FieldSources[field] = NotedEntry.Of(entry);
        if (field is "mitigationSummary" or "resolutionSummary")
        {
            AddBounded(done, NotedEntry.Of(entry, 2), doneCapacity);
            AddBounded(keyEvents, NotedEntry.Of(entry, 2), keyEventCapacity);
        }
    }

    private void ReadPost(TimelineEntry entry)
    {
        WrittenEntries++;
        var priority = entry.Kind == TimelineEntryKind.Update ? 2 : 3;
        var isAction = entry.Kind != TimelineEntryKind.Update ? !EntryClassifier.IsQuestion(entry.Text) : EntryClassifier.ReadsLikeDone(entry.Text);
        if (isAction)
        {
            AddBounded(done, NotedEntry.Of(entry, priority), doneCapacity);
        }

        AddBounded(keyEvents, NotedEntry.Of(entry, priority), keyEventCapacity);
        if (entry.Kind == TimelineEntryKind.Resolution)
        {
            AddLatest(resolution, NotedEntry.Of(entry), 5);
        }

        Classify(entry);
        Answer(entry);
        AddIfQuestion(entry);
    }

    private void ReadMessage(TimelineEntry entry)
    {
        WrittenEntries++;
        if (entry.Slack?.IsBot == true)
        {
            // Alerts posted by monitoring bots tell the impact; the bots' other chatter is not the responders' work.
            if (EntryClassifier.ReadsLikeImpact(entry.Text))
            {
                AddLatest(impact, NotedEntry.Of(entry), 3);
                AddBounded(keyEvents, NotedEntry.Of(entry, 1), keyEventCapacity);
            }

            return;
        }

        if (EntryClassifier.ReadsLikeDone(entry.Text))
        {
            AddBounded(done, NotedEntry.Of(entry, 1), doneCapacity);
            AddBounded(keyEvents, NotedEntry.Of(entry, 1), keyEventCapacity);
        }

        Classify(entry);
        Answer(entry);
        AddIfQuestion(entry);
    }

    private void AddIfQuestion(TimelineEntry entry)
    {
        if (EntryClassifier.IsQuestion(entry.Text))
        {
            questions.Add(new PendingQuestion(NotedEntry.Of(entry), entry.Slack?.Ts, AnswerWindow));
            if (questions.Count > 5)
            {
                questions.RemoveAt(0);
            }
        }
    }

    private void Classify(TimelineEntry entry)
    {
        var text = entry.Text;
        if (EntryClassifier.ReadsLikeTrying(text))
        {
            AddLatest(trying, NotedEntry.Of(entry), 3);

            // Hypotheses and attempts make a postmortem's timeline readable, but give way first when it is full.
            AddBounded(keyEvents, NotedEntry.Of(entry, 0), keyEventCapacity);
        }

        if (EntryClassifier.ReadsLikeImpact(text))
        {
            AddLatest(impact, NotedEntry.Of(entry), 3);
        }

        if (EntryClassifier.ReadsLikeHypothesis(text))
        {
            AddLatest(hypotheses, NotedEntry.Of(entry), 3);
        }

        if (EntryClassifier.ReadsLikeRootCause(text) && !EntryClassifier.IsQuestion(text))
        {
            AddLatest(rootCause, NotedEntry.Of(entry), 5);
            AddBounded(keyEvents, NotedEntry.Of(entry, 2), keyEventCapacity);
        }

        if (EntryClassifier.ReadsLikeActionItem(text) && !EntryClassifier.IsQuestion(text))
        {
            AddLatest(actionItems, NotedEntry.Of(entry), 10);
        }

        if (EntryClassifier.ReadsLikeDecision(text))
        {
            AddLatest(decisions, NotedEntry.Of(entry), 5);
        }

        if (EntryClassifier.ReadsLikeLesson(text))
        {
            AddLatest(lessons, NotedEntry.Of(entry), 5);
        }
    }

    /// <summary>Closes the open questions this entry answers, and counts it against the others' answer window.</summary>
    private void Answer(TimelineEntry reply)
    {
        var mentions = EntryClassifier.Mentions(reply.Text).ToHashSet(StringComparer.Ordinal);
        var looksLikeAnswer = EntryClassifier.ReadsLikeAnswer(reply.Text);
        for (var i = questions.Count - 1; i >= 0; i--)
        {
            var question = questions[i];
            if (question.Entry.ActorId is { } asker && asker == reply.ActorId)
            {
                continue;
            }

            var inThread = question.Ts is not null && reply.Slack?.ThreadTs == question.Ts;
            var toAsker = question.Entry.ActorId is { } who && mentions.Contains(who);
            if (inThread || toAsker || (looksLikeAnswer && question.Window > 0))
            {
                questions.RemoveAt(i);

                // One plain "yes" answers the latest question only.
                looksLikeAnswer &= inThread || toAsker;
                continue;
            }

            questions[i] = question with { Window = question.Window - 1 };
        }
    }

    /// <summary>Keeps timeline order, each entry once at its highest priority; when full, drops the oldest entry of the lowest priority.</summary>
    private static void AddBounded(List<NotedEntry> list, NotedEntry entry, int capacity)
    {
        var existing = list.FindLastIndex(e => e.Id == entry.Id);
        if (existing >= 0)
        {
            list[existing] = entry.Priority > list[existing].Priority ? entry : list[existing];
            return;
        }

        list.Add(entry);
        if (list.Count <= capacity)
        {
            return;
        }

        var lowest = list.Min(e => e.Priority);
        list.RemoveAt(list.FindIndex(e => e.Priority == lowest));
    }

    private static void AddLatest(List<NotedEntry> list, NotedEntry entry, int capacity)
    {
        list.Add(entry);
        if (list.Count > capacity)
        {
            list.RemoveAt(0);
        }
    }

    private sealed record PendingQuestion(NotedEntry Entry, string? Ts, int Window);
}
