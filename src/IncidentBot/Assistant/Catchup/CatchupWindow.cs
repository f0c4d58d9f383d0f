using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Catchup;

/// <summary>Who asks to catch up on which incident, and from when.</summary>
/// <param name="UserId">The person catching up; without <paramref name="Since"/>, the window starts after their last timeline entry.</param>
/// <param name="Since">The start of the window when the person named it (<c>since 30m</c>).</param>
/// <param name="Before">
/// Entries from here on are not the person's "last look" (the message that asked, or that brought them back);
/// null means now.
/// </param>
public sealed record CatchupRequest(long Number, string? UserId, DateTimeOffset? Since = null, TimelineCursor? Before = null);

/// <summary>How the start of a catch-up was chosen.</summary>
public enum CatchupBasis
{
    /// <summary>After the person's last entry in the timeline (a message, a post, a change, their joining).</summary>
    LastSeen,

    /// <summary>After a time the person named.</summary>
    Since,

    /// <summary>The person has no entry in the timeline: the whole incident.</summary>
    Never,
}

/// <summary>The part of the timeline a catch-up covers: every entry after <see cref="After"/>.</summary>
/// <param name="LastSeen">The person's last entry, when the window starts after it.</param>
public sealed record CatchupWindow(CatchupBasis Basis, DateTimeOffset From, TimelineCursor After, string? UserId, TimelineEntry? LastSeen = null)
{
    public static CatchupWindow AfterEntry(TimelineEntry lastSeen, string userId) =>
        new(CatchupBasis.LastSeen, lastSeen.OccurredAt, TimelineCursor.Of(lastSeen), userId, lastSeen);

    /// <summary>Entries at <paramref name="since"/> itself are in the window.</summary>
    public static CatchupWindow FromTime(DateTimeOffset since, string? userId) => new(CatchupBasis.Since, since, new TimelineCursor(since, 0), userId);

    /// <summary>"your last message (2026-11-02 09:14 UTC)", "2026-11-02 09:00 UTC".</summary>
    public string Phrase => LastSeen is { } entry
        ? $"{WhatWasSeen(entry.Kind)} ({AnswerWriter.Time(entry.OccurredAt)})"
        : AnswerWriter.Time(From);

    private static string WhatWasSeen(TimelineEntryKind kind) => kind switch
    {
        TimelineEntryKind.Message => "your last message",
        TimelineEntryKind.MemberJoined => "you joined",
        TimelineEntryKind.Update or TimelineEntryKind.Action or TimelineEntryKind.Resolution => "your last post",
        TimelineEntryKind.Declared => "you declared it",
        _ => "your last change",
    };
}
