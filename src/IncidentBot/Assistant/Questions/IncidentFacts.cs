using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// One incident's facts from its record (status, severity, commander, services, impact, how long), each cited with
/// the record and the timeline entry that last set it; what changed in a time frame; and who did something, found
/// by the words of the question in the timelines.
/// </summary>
internal sealed partial class IncidentFacts(IncidentPlugin plugin, TimeProvider time)
{
    /// <summary>At most this many incidents' timelines are read for one "what changed" or "who did" question.</summary>
    private const int MaxIncidentsRead = 10;

    private const int MaxLines = 15;

    public async Task<QuestionAnswer> FieldAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var (line, kinds) = question.Kind switch
        {
            QuestionKind.Status => ($"{incident.Reference} is **{incident.Status.ToLabel()}**", new[] { TimelineEntryKind.StatusChanged }),
            QuestionKind.Severity => ($"{incident.Reference} is **{incident.Severity.ToLabel()}** ({incident.Severity.Describe()})", [TimelineEntryKind.SeverityChanged]),
            QuestionKind.Commander => (incident.CommanderId is { } commander
                ? $"The commander of {incident.Reference} is **{AnswerWriter.Person(commander)}**"
                : $"{incident.Reference} has no commander recorded", [TimelineEntryKind.CommanderChanged]),
            _ => (incident.Services.Count > 0
                ? $"{incident.Reference} affects **{string.Join(", ", incident.Services)}**"
                : $"{incident.Reference} has no services recorded", new[] { TimelineEntryKind.ServicesChanged }),
        };
        var lines = new List<CitedLine> { new($"{line}.", [new Citation(incident.Number)]) };
        var latest = (await EntriesAsync(incident, e => kinds.Contains(e.Kind), cancellationToken)).LastOrDefault();
        if (latest is not null)
        {
            lines.Add(AnswerWriter.Cite(NotedEntry.Of(latest), incident.DeclaredAt) with { Text = $"Last change: {AnswerWriter.Describe(NotedEntry.Of(latest), incident.DeclaredAt)}" });
        }

        return AboutIncident(question, incident, lines, "");
    }

    public async Task<QuestionAnswer> ImpactAsync(AssistantQuestion question, Incident incident, CancellationToken cancellationToken)
    {
        var digest = await TimelineDigest.ReadAsync(plugin, incident, cancellationToken);
        return AboutIncident(question, incident, DigestLines.Impact(incident, digest),
            $"No customer impact is recorded for {incident.Reference}: set it with `/incident impact <text>` or `PATCH /api/incidents/{incident.Reference}`.");
    }

    public QuestionAnswer Duration(AssistantQuestion question, Incident incident)
    {
        var record = new Citation(incident.Number);
        var now = time.GetUtcNow();
        var lines = new List<CitedLine> { new($"Declared {AnswerWriter.Time(incident.DeclaredAt)}.", [record]) };
        if (incident.StableAt is { } stable)
        {
            lines.Add(new($"Stable {AnswerWriter.Time(stable)}, {AnswerWriter.Duration(stable - incident.DeclaredAt)} after it was declared.", [record]));
        }

        TimeSpan duration;
        if (incident.ResolvedAt is { } resolved && !incident.Status.IsOpen())
        {
            duration = resolved - incident.DeclaredAt;
            lines.Add(new($"Resolved {AnswerWriter.Time(resolved)}: it lasted **{AnswerWriter.Duration(duration)}** (time to resolve).", [record]));
        }
        else
        {
            duration = now - incident.DeclaredAt;
            lines.Add(new($"Still {incident.Status.ToLabel()}: open for **{AnswerWriter.Duration(duration)}** so far.", [record]));
        }

        return AboutIncident(question, incident, lines, "") with { Duration = duration };
    }

    /// <summary>"how long did it take to detect INC-3?": impact start to declaration, as the MTTD counts it.</summary>
    public QuestionAnswer TimeToDetect(AssistantQuestion question, Incident incident)
    {
        var record = new Citation(incident.Number);
        if (incident.TimeToDetect is not { } detected)
        {
            return AboutIncident(question, incident, [new(
                $"{incident.Reference} has no impact-start time, so its time to detect is not known; it is left out of the MTTD. {MeanFigure.ImpactStartHint}",
                [record])], "");
        }

        var lines = new List<CitedLine>
        {
            new($"Impact started {AnswerWriter.Time(incident.ImpactStartedAt!.Value)}; declared {AnswerWriter.Time(incident.DeclaredAt)}.", [record]),
            new($"Time to detect: **{AnswerWriter.Duration(detected)}**{(detected == TimeSpan.Zero ? " (declared before the impact started)" : "")}.", [record]),
        };
        return AboutIncident(question, incident, lines, "") with { Duration = detected };
    }

    /// <summary>What happened in the time frame: state changes and posts, and the messages that read like actions, causes or impact.</summary>
    public async Task<QuestionAnswer> ChangesAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken)
    {
        var since = question.Since!.Value;
        var until = question.Until ?? time.GetUtcNow();
        var incidents = incident is not null ? [incident]
            : await plugin.FindAsync(new IncidentFilter { ActiveFrom = since, ActiveUntil = until, Limit = MaxIncidentsRead }, cancellationToken);
        var writer = new AnswerWriter();
        writer.Line($"**What changed {(incident is null ? "" : $"in {incident.Reference} ")}{question.Window}**");
        writer.Line($"_State changes, posts, and messages that read like actions, causes or impact ({AnswerWriter.EngineNote}); times in UTC._");
        var changed = new List<Incident>();
        foreach (var about in incidents)
        {
            var entries = await EntriesAsync(about, e => e.OccurredAt >= since && e.OccurredAt <= until && e.Kind != TimelineEntryKind.MemberJoined && e.DeletedAt is null, cancellationToken);
            var notable = entries.Where(IsNotable).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            changed.Add(about);
            writer.Line().Line($"{AnswerWriter.Describe(IncidentBrief.Of(about))}{writer.Markers([new Citation(about.Number)])}");
            foreach (var entry in notable.TakeLast(MaxLines))
            {
                writer.Bullet(AnswerWriter.Cite(NotedEntry.Of(entry), since));
            }

            var others = entries.Count - Math.Min(notable.Count, MaxLines);
            if (others > 0)
            {
                writer.Line($"- and {others} other message{(others == 1 ? "" : "s")}");
            }
        }

        if (changed.Count == 0)
        {
            writer.Line().Line(incident is null ? "Nothing: no incident's timeline has an entry in that time." : $"Nothing: {incident.Reference}'s timeline has no entry in that time.");
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. changed.Select(IncidentBrief.Of)],
        };
    }

    /// <summary>
    /// "who restarted the database?": timeline entries that contain every word of the question (by stem, "rolled back"
    /// read as "rollback", "db" as "database"), each with who wrote it. In one incident's channel, its timeline; else
    /// the incidents whose timelines match the words best.
    /// </summary>
    public async Task<QuestionAnswer> WhoDidAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken)
    {
        var words = SearchTerms.SplitWords(question.Query).Where(w => SearchWords.IsWorthSearching(w) && !WritingVerbs.Contains(w)).Distinct().ToList();
        if (words.Count == 0)
        {
            return QuestionHelp.NotUnderstood(question, [], "a question about who did something, but not what they did");
        }

        var incidents = incident is not null ? [incident] : await SearchedAsync(words, cancellationToken);
        var found = new List<(Incident Incident, TimelineEntry Entry)>();
        foreach (var about in incidents)
        {
            var entries = await EntriesAsync(about, e => e.DeletedAt is null && e.Kind != TimelineEntryKind.MemberJoined, cancellationToken);
            found.AddRange(entries.Where(e => e.ActorId is not null && !EntryClassifier.IsQuestion(e.Text) && Says(e.Text, words)).Select(e => (about, e)));
        }

        var writer = new AnswerWriter();
        var asked = IncidentHits.Quote(words);
        if (found.Count == 0)
        {
            writer.Line($"No timeline entry {(incident is null ? "" : $"of {incident.Reference} ")}mentions all of {asked}, so I cannot say who did it.");
        }
        else
        {
            var people = found.Select(f => f.Entry.ActorId!).Distinct().Select(AnswerWriter.Person).ToList();
            writer.Line($"**{string.Join(", ", people)}**, by the timeline entr{(found.Count == 1 ? "y" : "ies")} that mention{(found.Count == 1 ? "s" : "")} {asked}:");
        }

        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}; times in UTC._");
        return EntriesAnswer(question, writer, found.Take(MaxLines), found, withActor: true);
    }

    /// <summary>
    /// "what did bob do in INC-4?": the person's own entries (messages, posts, changes) in the incident's timeline, or,
    /// without one, in the timelines of the incidents of the time frame (the most recent ones when it names none).
    /// </summary>
    public async Task<QuestionAnswer> ActivityAsync(AssistantQuestion question, string person, Incident? incident, CancellationToken cancellationToken)
    {
        var incidents = incident is not null ? [incident]
            : await plugin.FindAsync(new IncidentFilter { ActiveFrom = question.Since, ActiveUntil = question.Until, Limit = MaxIncidentsRead }, cancellationToken);
        var found = new List<(Incident Incident, TimelineEntry Entry)>();
        foreach (var about in incidents)
        {
            var entries = await EntriesAsync(about, e => e.ActorId == person && e.DeletedAt is null && e.Kind != TimelineEntryKind.MemberJoined
                && (question.Since is null || (e.OccurredAt >= question.Since && e.OccurredAt <= (question.Until ?? time.GetUtcNow()))), cancellationToken);
            found.AddRange(entries.Select(e => (about, e)));
        }

        var where = incident is not null ? $"in {incident.Reference}"
            : $"in the {(incidents.Count == 1 ? "1 incident" : $"{incidents.Count} incidents")} {(question.Window is null ? "most recently declared" : $"open {question.Window}")}";
        var writer = new AnswerWriter();
        writer.Line(found.Count == 0
            ? $"{AnswerWriter.Person(person)} has no entry in the timeline {where}."
            : $"**What {AnswerWriter.Person(person)} did {where}**: {found.Count} timeline entr{(found.Count == 1 ? "y" : "ies")}{(found.Count > MaxLines ? $", the latest {MaxLines} below" : "")}:");
        writer.Line($"_Their own messages, posts and changes ({AnswerWriter.EngineNote}); times in UTC._");
        return EntriesAnswer(question, writer, found.OrderBy(f => f.Entry.OccurredAt).TakeLast(MaxLines), found, withActor: false);
    }

    /// <summary>The answer's cited entries after its opening lines, one a bullet; the incidents and the count are of all found.</summary>
    private static QuestionAnswer EntriesAnswer(
        AssistantQuestion question, AnswerWriter writer, IEnumerable<(Incident Incident, TimelineEntry Entry)> shown,
        IReadOnlyList<(Incident Incident, TimelineEntry Entry)> found, bool withActor)
    {
        if (found.Count > 0)
        {
            writer.Line();
        }

        foreach (var (about, entry) in shown)
        {
            var who = withActor ? $" {AnswerWriter.Person(entry.ActorId)}" : "";
            writer.Bullet($"{about.Reference} · {AnswerWriter.Time(entry.OccurredAt)}{who}: {EntryClassifier.Excerpt(entry.Text, 200)}", Citation.Of(entry));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. found.Select(f => f.Incident).DistinctBy(i => i.Number).Select(IncidentBrief.Of)],
            Count = found.Count,
        };
    }

    /// <summary>An answer about one incident from its record: its heading, then its cited lines, or what is missing.</summary>
    public static QuestionAnswer AboutIncident(AssistantQuestion question, Incident incident, IReadOnlyList<CitedLine> lines, string whenEmpty) =>
        AboutIncident(
            question,
            incident,
            $"**{incident.Reference} · {incident.Title}** ({incident.Severity.ToLabel()}, {incident.Status.ToLabel()})",
            $"{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}; times in UTC.",
            lines,
            whenEmpty);

    /// <summary>An answer about one incident: a heading, a note on where it comes from, then its cited lines, or what is missing.</summary>
    public static QuestionAnswer AboutIncident(
        AssistantQuestion question, Incident incident, string heading, string note, IReadOnlyList<CitedLine> lines, string whenEmpty)
    {
        var writer = new AnswerWriter();
        writer.Line(heading);
        writer.Line($"_{note}_");
        writer.Line();
        if (lines.Count == 0)
        {
            writer.Line(whenEmpty);
        }

        foreach (var line in lines)
        {
            writer.Bullet(line);
        }

        return new QuestionAnswer { Kind = question.KindName, Text = writer.Finish(), Citations = writer.Citations, Incidents = [IncidentBrief.Of(incident)] };
    }

    private async Task<IReadOnlyList<Incident>> SearchedAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var matches = await plugin.SearchAsync(SearchTerms.Of(words.Concat(words.SelectMany(Synonyms))), new IncidentFilter { Limit = MaxIncidentsRead }, cancellationToken);
        if (matches.Count == 0)
        {
            return [];
        }

        var incidents = (await plugin.FindAsync(new IncidentFilter { Numbers = [.. matches.Select(m => m.Number)], Limit = matches.Count }, cancellationToken)).ToDictionary(i => i.Number);
        return [.. matches.Where(m => incidents.ContainsKey(m.Number)).Select(m => incidents[m.Number])];
    }

    /// <summary>The incident's timeline entries that pass, read page by page.</summary>
    private async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(Incident incident, Func<TimelineEntry, bool> keep, CancellationToken cancellationToken)
    {
        var kept = new List<TimelineEntry>();
        string? cursor = null;
        do
        {
            var page = await plugin.GetTimelinePageAsync(incident.Reference, cursor, TimelineDigest.PageSize, cancellationToken);
            kept.AddRange(page.Entries.Where(keep));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return kept;
    }

    private static bool IsNotable(TimelineEntry entry) =>
        entry.Kind != TimelineEntryKind.Message
        || (entry.Slack?.IsBot != true && (EntryClassifier.ReadsLikeDone(entry.Text) || EntryClassifier.ReadsLikeRootCause(entry.Text)))
        || EntryClassifier.ReadsLikeImpact(entry.Text);

    /// <summary>Whether the text says every word: by stem, with "rolled back" read as "rollback" and a few common short forms.</summary>
    private static bool Says(string text, IReadOnlyList<string> words)
    {
        var joined = Particle().Replace(text.ToLowerInvariant(), "$1$2");
        var stems = SearchTerms.SplitWords(text).Concat(SearchTerms.SplitWords(joined)).Select(SearchWords.Stem).ToHashSet(StringComparer.Ordinal);
        return words.All(word => new[] { word }.Concat(Synonyms(word)).Select(w => SearchWords.Stem(Particle().Replace(w, "$1$2"))).Any(stem => stems.Any(s => SameStem(s, stem))));
    }

    /// <summary>"update" and "updated" (stems "update", "updat"): one stem begins the other, and neither is a short word.</summary>
    private static bool SameStem(string a, string b) =>
        a == b || (Math.Min(a.Length, b.Length) >= 4 && Math.Abs(a.Length - b.Length) <= 2 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));

    /// <summary>Words responders use for the same move or thing, so "who bounced the db?" finds "Restarted the orders database".</summary>
    private static readonly string[][] SameMeaning =
    [
        ["database", "databases", "db"],
        ["restart", "restarted", "bounce", "bounced", "reboot", "rebooted"],
        ["rollback", "rolled", "revert", "reverted"],
        ["deploy", "deployed", "release", "released", "ship", "shipped"],
        ["enable", "enabled", "turn", "turned", "switch", "switched"],
    ];

    /// <summary>"who posted the status page update?": the act of writing it is every entry's, so only the rest is looked for.</summary>
    private static readonly HashSet<string> WritingVerbs = new(StringComparer.Ordinal)
    {
        "posted", "post", "wrote", "write", "said", "say", "mentioned", "made", "make", "sent", "send", "first", "actually",
    };

    private static IEnumerable<string> Synonyms(string word) => SameMeaning.FirstOrDefault(group => group.Contains(word))?.Where(w => w != word) ?? [];

    [GeneratedRegex(@"\b(\w+?)(?:ed|ing)?\s+(back|over|out)\b")]
    private static partial Regex Particle();
}
