using System.Text.Json.Nodes;

namespace IncidentBot.Incidents;

/// <summary>What a timeline entry records. Stored by its wire name (<see cref="TimelineEntryKinds"/>).</summary>
public enum TimelineEntryKind
{
    /// <summary>A Slack message in the incident channel.</summary>
    Message,
    Update,
    Action,
    Resolution,
    Declared,
    StatusChanged,
    SeverityChanged,
    CommanderChanged,
    ServicesChanged,
    ResourceLinked,
    MemberJoined,
    PostmortemDrafted,

    /// <summary>Title, impact, description, mitigation or resolution summary changed.</summary>
    DetailsChanged,

    /// <summary>A linked alert resolved, fired again or was acted on at its source (acknowledged, noted, …).</summary>
    AlertChanged,

    /// <summary>Someone was given a role besides the commander (scribe, comms lead, …).</summary>
    RoleAssigned,
    FollowUpAdded,

    /// <summary>A follow-up was done, reopened, or given another text, owner or due date.</summary>
    FollowUpChanged,
}

public static class TimelineEntryKinds
{
    private static readonly Dictionary<TimelineEntryKind, string> WireNames = new()
    {
        [TimelineEntryKind.Message] = "message",
        [TimelineEntryKind.Update] = "update",
        [TimelineEntryKind.Action] = "action",
        [TimelineEntryKind.Resolution] = "resolution",
        [TimelineEntryKind.Declared] = "declared",
        [TimelineEntryKind.StatusChanged] = "status_changed",
        [TimelineEntryKind.SeverityChanged] = "severity_changed",
        [TimelineEntryKind.CommanderChanged] = "commander_changed",
        [TimelineEntryKind.ServicesChanged] = "services_changed",
        [TimelineEntryKind.ResourceLinked] = "resource_linked",
        [TimelineEntryKind.MemberJoined] = "member_joined",
        [TimelineEntryKind.PostmortemDrafted] = "postmortem_drafted",
        [TimelineEntryKind.DetailsChanged] = "details_changed",
        [TimelineEntryKind.AlertChanged] = "alert_changed",
        [TimelineEntryKind.RoleAssigned] = "role_assigned",
        [TimelineEntryKind.FollowUpAdded] = "followup_added",
        [TimelineEntryKind.FollowUpChanged] = "followup_changed",
    };

    private static readonly Dictionary<string, TimelineEntryKind> ByWireName =
        WireNames.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The kinds a person or program may post deliberately (REST <c>type</c>, <c>/incident update</c>).</summary>
    public static readonly IReadOnlySet<TimelineEntryKind> Postable =
        new HashSet<TimelineEntryKind> { TimelineEntryKind.Update, TimelineEntryKind.Action, TimelineEntryKind.Resolution };

    public static string ToWireName(this TimelineEntryKind kind) => WireNames[kind];

    public static bool TryParse(string? text, out TimelineEntryKind kind)
    {
        kind = TimelineEntryKind.Update;
        return !string.IsNullOrWhiteSpace(text) && ByWireName.TryGetValue(text.Trim(), out kind);
    }
}

/// <summary>Where a timeline entry came from in Slack, when it came from Slack.</summary>
public sealed record SlackMessageSource(string ChannelId, string Ts, string? ThreadTs, string? Permalink, bool IsBot);

/// <summary>A timeline entry before the store has given it an id.</summary>
public sealed record NewTimelineEntry(
    TimelineEntryKind Kind,
    DateTimeOffset OccurredAt,
    string? ActorId,
    string Text,
    JsonObject? Data = null,
    SlackMessageSource? Slack = null);

public sealed record TimelineEntry
{
    public required long Id { get; init; }
    public required long IncidentNumber { get; init; }
    public required TimelineEntryKind Kind { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public string? ActorId { get; init; }
    public required string Text { get; init; }

    /// <summary>Structured detail of automatic entries, e.g. <c>{"from":"active","to":"stable"}</c>.</summary>
    public JsonObject? Data { get; init; }
    public SlackMessageSource? Slack { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}
