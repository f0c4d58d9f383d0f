using IncidentBot.Incidents;
using Microsoft.Extensions.AI;

namespace IncidentBot.Assistant.Model;

/// <summary>A timeline as the model gets to read it: its entries as they are when they fit one part, else notes taken part by part.</summary>
/// <param name="EntriesRead">Entries in the parts the model read, deleted ones included.</param>
/// <param name="EntriesSkipped">Entries in the middle of a very long timeline that no part holds.</param>
internal sealed record ReadTimeline(string Text, bool Condensed, int Parts, int EntriesRead, int EntriesSkipped);

/// <summary>
/// Reads a timeline of any length in pages and cuts it into parts that fit a small model's context. One part
/// goes to the answer as it is; more are condensed by the model, a few at a time, and the notes combined.
/// At most <see cref="MaxParts"/> parts are read: the first (how it began) and the latest ones; memory
/// stays bounded however long the incident ran.
/// </summary>
internal sealed class TimelineCondenser(IncidentPlugin plugin, IChatClient chat, TimeProvider time)
{
    public const int PageSize = 500;

    /// <summary>About 4,000 tokens: fits the context of small local models together with the prompt.</summary>
    public const int MaxPartChars = 16_000;
    public const int MaxParts = 8;
    public const int Concurrency = 4;
    public const int MaxNoteTokens = 500;

    public async Task<ReadTimeline> ReadAsync(Incident incident, CancellationToken cancellationToken)
    {
        var (parts, skipped) = await CutAsync(incident, cancellationToken);
        var read = parts.Sum(p => p.Entries);
        if (parts.Count <= 1)
        {
            return new ReadTimeline(parts.Count == 0 ? "(the timeline is empty)" : parts[0].Text, false, parts.Count, read, skipped);
        }

        using var gate = new SemaphoreSlim(Concurrency);
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
            var response = await chat.GetResponseAsync(
                ModelPrompts.Conversation(time.GetUtcNow(), ModelPrompts.CondensePart(incident, index, count, part.Text)),
                new ChatOptions { MaxOutputTokens = MaxNoteTokens, Temperature = 0.2f },
                cancellationToken);
            var notes = response.Text.Trim();
            return string.IsNullOrEmpty(notes)
                ? throw new ModelUnavailableException($"gave no notes for part {index} of the timeline")
                : $"Notes on part {index} of {count}:\n{ModelData.CleanLines(notes, MaxPartChars / 4)}";
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The first part and the latest <see cref="MaxParts"/> - 1 parts; the count of entries between them.</summary>
    private async Task<(List<TimelinePart> Parts, int Skipped)> CutAsync(Incident incident, CancellationToken cancellationToken)
    {
        var kept = new List<TimelinePart>();
        var current = new TimelinePartBuilder();
        var skipped = 0;
        string? cursor = null;
        do
        {
            var page = await plugin.GetTimelinePageAsync(incident.Reference, cursor, PageSize, cancellationToken);
            foreach (var entry in page.Entries)
            {
                var line = entry.Kind == TimelineEntryKind.MemberJoined ? null : ModelData.Entry(entry);
                if (line is not null && current.Length + line.Length + 1 > MaxPartChars && current.Entries > 0)
                {
                    skipped += Keep(kept, current.Build());
                    current = new TimelinePartBuilder();
                }

                current.Add(line);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        if (current.Entries > 0)
        {
            skipped += Keep(kept, current.Build());
        }

        return (kept, skipped);
    }

    /// <returns>The entries of a middle part dropped to make room.</returns>
    private static int Keep(List<TimelinePart> kept, TimelinePart part)
    {
        kept.Add(part);
        if (kept.Count <= MaxParts)
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
