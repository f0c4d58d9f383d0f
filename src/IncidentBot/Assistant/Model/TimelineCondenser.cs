using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Model;

/// <summary>A timeline as the model gets to read it: its entries as they are when they fit one part, else notes taken part by part.</summary>
/// <param name="EntriesRead">Entries in the parts the model read, deleted ones included.</param>
/// <param name="EntriesSkipped">Entries in the middle of a very long timeline that no part holds.</param>
internal sealed record ReadTimeline(string Text, bool Condensed, int Parts, int EntriesRead, int EntriesSkipped)
{
    /// <summary>What was read, as an answer says it: "40 timeline entries in 1 part".</summary>
    public string Phrase
    {
        get
        {
            var read = $"{EntriesRead} timeline entries in {AnswerWriter.Parts(Parts)}";
            return EntriesSkipped == 0 ? read : $"{read} (the first part and the latest; {EntriesSkipped} entries in between were not read)";
        }
    }
}

/// <summary>How a timeline is cut into parts for the model.</summary>
internal sealed record TimelineReadLimits
{
    public int PageSize { get; init; } = 500;

    /// <summary>About 4,000 tokens: room for the prompt and the notes in a model with an 8k context.</summary>
    public int MaxPartChars { get; init; } = 16_000;

    /// <summary>Twelve parts hold some 2,000 Slack messages; a longer timeline loses its middle parts.</summary>
    public int MaxParts { get; init; } = 12;

    /// <summary>Parts condensed at once: twelve parts take three rounds of calls, then one to combine them.</summary>
    public int Concurrency { get; init; } = 4;
    public int MaxNoteTokens { get; init; } = 500;
}

/// <summary>
/// Reads a timeline of any length in pages and cuts it into parts that fit a small model's context. One part
/// goes to the answer as it is; more are condensed by the model, a few at a time, and the notes combined.
/// At most <see cref="TimelineReadLimits.MaxParts"/> parts are read: the first (how it began) and the latest ones; memory
/// stays bounded however long the incident ran.
/// </summary>
internal sealed class TimelineCondenser(IncidentPlugin plugin, ModelClients model, TimeProvider time, TimelineReadLimits? limits = null)
{
    private readonly TimelineReadLimits limits = limits ?? new TimelineReadLimits();

    /// <param name="after">Read only the entries after this one; all of them when null.</param>
    /// <param name="leftOutActor">Whose entries the model is not shown (counted as read, like joins); nobody's when null.</param>
    public async Task<ReadTimeline> ReadAsync(
        Incident incident, CancellationToken cancellationToken, TimelineCursor? after = null, string? leftOutActor = null)
    {
        var (parts, skipped) = await CutAsync(incident, after, leftOutActor, cancellationToken);
        var read = parts.Sum(p => p.Entries);
        if (parts.Count <= 1)
        {
            return new ReadTimeline(parts.Count == 0 ? "(the timeline is empty)" : parts[0].Text, false, parts.Count, read, skipped);
        }

        using var gate = new SemaphoreSlim(limits.Concurrency);
        var notes = await Task.WhenAll(parts.Select((part, index) => CondenseAsync(incident, part, index + 1, parts.Count, gate, cancellationToken)));
        var gap = skipped > 0 ? [$"(… {skipped} entries in the middle of the timeline were not read …)"] : Array.Empty<string>();
        var text = string.Join("\n", notes.Take(1).Concat(gap).Concat(notes.Skip(1)));
        return new ReadTimeline(text, true, parts.Count, read, skipped);
    }

    private async Task<string> CondenseAsync(Incident incident, TimelinePart part, int index, int count, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var notes = await model.WriteAsync(
                ModelPrompts.Conversation(time.GetUtcNow(), ModelPrompts.CondensePart(incident, index, count, part.Text)), limits.MaxNoteTokens, cancellationToken);
            return string.IsNullOrEmpty(notes)
                ? throw new ModelUnavailableException($"gave no notes for part {index} of the timeline")
                : $"Notes on part {index} of {count}:\n{ModelData.CleanLines(notes, limits.MaxPartChars / 4)}";
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The first part and the latest parts; the count of entries between them.</summary>
    private async Task<(List<TimelinePart> Parts, int Skipped)> CutAsync(
        Incident incident, TimelineCursor? after, string? leftOutActor, CancellationToken cancellationToken)
    {
        var kept = new List<TimelinePart>();
        var current = new TimelinePartBuilder();
        var skipped = 0;
        var cursor = after?.ToString();
        do
        {
            var page = await plugin.GetTimelinePageAsync(incident.Reference, cursor, limits.PageSize, cancellationToken);
            foreach (var entry in page.Entries)
            {
                var hidden = entry.Kind == TimelineEntryKind.MemberJoined || (leftOutActor is not null && entry.ActorId == leftOutActor);
                var line = hidden ? null : ModelData.Entry(entry);
                if (line is not null && current.Length + line.Length + 1 > limits.MaxPartChars && current.Entries > 0)
                {
                    skipped += Keep(kept, current.Build(), limits.MaxParts);
                    current = new TimelinePartBuilder();
                }

                current.Add(line);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        if (current.Entries > 0)
        {
            skipped += Keep(kept, current.Build(), limits.MaxParts);
        }

        return (kept, skipped);
    }

    /// <returns>The entries of a middle part dropped to make room.</returns>
    private static int Keep(List<TimelinePart> kept, TimelinePart part, int maxParts)
    {
        kept.Add(part);
        if (kept.Count <= maxParts)
        {
            return 0;
        }

        var dropped = kept[1];
        kept.RemoveAt(1);
        return dropped.Entries;
    }

    private sealed record TimelinePart(string Text, int Entries);

    private sealed class TimelinePartBuilder
    {
        private readonly System.Text.StringBuilder text = new();

        public int Length => text.Length;

        /// <summary>Entries read into the part, those not shown to the model (joins) included.</summary>
        public int Entries { get; private set; }

        public void Add(string? line)
        {
            Entries++;
            if (line is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        public TimelinePart Build() => new(text.ToString(), Entries);
    }
}
