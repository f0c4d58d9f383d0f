using System.Text.Json.Nodes;
using IncidentBot.Incidents;

namespace IncidentBot.Storage.Sqlite;

/// <summary>Times are stored as Unix milliseconds (UTC), which sort and compare as plain integers.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? From(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset To(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? To(long? ms) => ms is { } value ? To(value) : null;
}

// Dapper fills these by column name; the parameter names in SQL match the property names exactly
// because SQLite binds parameters case-sensitively.
internal sealed class IncidentRow
{
    public long Number { get; set; }
    public string Title { get; set; } = "";
    public long Severity { get; set; }
    public string Status { get; set; } = "";
    public string? CommanderId { get; set; }
    public string? Environment { get; set; }
    public string? CustomerImpact { get; set; }
    public string? Description { get; set; }
    public string? DeclaredBy { get; set; }
    public string? MitigationSummary { get; set; }
    public string? ResolutionSummary { get; set; }
    public string? ChannelId { get; set; }
    public string? ChannelName { get; set; }
    public long DeclaredAt { get; set; }
    public long? StableAt { get; set; }
    public long? ResolvedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? ImpactStartedAt { get; set; }
    public long Version { get; set; }
    public bool IsPrivate { get; set; }

    public static IncidentRow From(Incident incident) => new()
    {
        Number = incident.Number,
        Title = incident.Title,
        Severity = (long)incident.Severity,
        Status = incident.Status.ToLabel(),
        CommanderId = incident.CommanderId,
        Environment = incident.Environment,
        CustomerImpact = incident.CustomerImpact,
        Description = incident.Description,
        DeclaredBy = incident.DeclaredBy,
        MitigationSummary = incident.MitigationSummary,
        ResolutionSummary = incident.ResolutionSummary,
        ChannelId = incident.ChannelId,
        ChannelName = incident.ChannelName,
        DeclaredAt = UnixMs.From(incident.DeclaredAt),
        StableAt = UnixMs.From(incident.StableAt),
        ResolvedAt = UnixMs.From(incident.ResolvedAt),
        UpdatedAt = UnixMs.From(incident.UpdatedAt),
        ImpactStartedAt = UnixMs.From(incident.ImpactStartedAt),
        Version = incident.Version,
        IsPrivate = incident.IsPrivate,
    };

    public Incident ToIncident(IReadOnlyList<string> services, IReadOnlyList<LinkedResource> links) => new()
    {
        Number = Number,
        Title = Title,
        Severity = (Severity)Severity,
        Status = IncidentStatusText.TryParse(Status, out var status) ? status : throw new InvalidDataException($"Unknown status '{Status}' in INC-{Number}."),
        CommanderId = CommanderId,
        Services = services,
        Environment = Environment,
        CustomerImpact = CustomerImpact,
        Description = Description,
        DeclaredBy = DeclaredBy,
        MitigationSummary = MitigationSummary,
        ResolutionSummary = ResolutionSummary,
        Links = links,
        ChannelId = ChannelId,
        ChannelName = ChannelName,
        DeclaredAt = UnixMs.To(DeclaredAt),
        StableAt = UnixMs.To(StableAt),
        ResolvedAt = UnixMs.To(ResolvedAt),
        UpdatedAt = UnixMs.To(UpdatedAt),
        ImpactStartedAt = UnixMs.To(ImpactStartedAt),
        Version = Version,
        IsPrivate = IsPrivate,
    };
}

internal sealed class ServiceRow
{
    public long IncidentNumber { get; set; }
    public string Service { get; set; } = "";
}

internal sealed class LinkRow
{
    public long IncidentNumber { get; set; }
    public string Type { get; set; } = "";
    public string Target { get; set; } = "";
    public long LinkedAt { get; set; }
    public string? LinkedBy { get; set; }
    public string? Url { get; set; }
    public string? AlertTitle { get; set; }
    public string? AlertStatus { get; set; }
    public long? AlertStartedAt { get; set; }
    public long? AlertEndedAt { get; set; }

    public static LinkRow From(long number, LinkedResource link) => new()
    {
        IncidentNumber = number,
        Type = link.Type.ToLabel(),
        Target = link.Target,
        LinkedAt = UnixMs.From(link.LinkedAt),
        LinkedBy = link.LinkedBy,
        Url = link.Url,
        AlertTitle = link.Alert?.Title,
        AlertStatus = link.Alert?.Status.ToLabel(),
        AlertStartedAt = UnixMs.From(link.Alert?.StartedAt),
        AlertEndedAt = UnixMs.From(link.Alert?.EndedAt),
    };

    public LinkedResource ToLink() => new(
        LinkTypeText.TryParse(Type, out var type) ? type : throw new InvalidDataException($"Unknown link type '{Type}'."),
        Target,
        UnixMs.To(LinkedAt),
        LinkedBy)
    {
        Url = Url,
        Alert = AlertStatus is null ? null : new LinkedAlertState(
            AlertTitle ?? Target,
            AlertStatusText.TryParse(AlertStatus, out var status) ? status : throw new InvalidDataException($"Unknown alert status '{AlertStatus}'."),
            UnixMs.To(AlertStartedAt),
            UnixMs.To(AlertEndedAt)),
    };
}

internal sealed class TimelineRow
{
    public long Id { get; set; }
    public long IncidentNumber { get; set; }
    public string Kind { get; set; } = "";
    public long OccurredAt { get; set; }
    public string? ActorId { get; set; }
    public string Text { get; set; } = "";
    public string? Data { get; set; }
    public string? SlackChannelId { get; set; }
    public string? SlackTs { get; set; }
    public string? SlackThreadTs { get; set; }
    public string? Permalink { get; set; }
    public bool IsBot { get; set; }
    public long? EditedAt { get; set; }
    public long? DeletedAt { get; set; }

    public static TimelineRow From(long incidentNumber, NewTimelineEntry entry) => new()
    {
        IncidentNumber = incidentNumber,
        Kind = entry.Kind.ToWireName(),
        OccurredAt = UnixMs.From(entry.OccurredAt),
        ActorId = entry.ActorId,
        Text = entry.Text,
        Data = entry.Data?.ToJsonString(),
        SlackChannelId = entry.Slack?.ChannelId,
        SlackTs = entry.Slack?.Ts,
        SlackThreadTs = entry.Slack?.ThreadTs,
        Permalink = entry.Slack?.Permalink,
        IsBot = entry.Slack?.IsBot ?? false,
    };

    /// <summary>
    /// What a run of messages stored, in the run's order: each message given the id it was inserted with (found by
    /// channel and ts); null for one already stored, or repeating an earlier message of the same run.
    /// </summary>
    public static TimelineEntry?[] StoredInOrder(IReadOnlyList<TimelineRow> messages, IEnumerable<(long Id, string ChannelId, string Ts)> inserted)
    {
        var ids = inserted.ToDictionary(row => (row.ChannelId, row.Ts), row => row.Id);
        var stored = new TimelineEntry?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (ids.Remove((messages[i].SlackChannelId!, messages[i].SlackTs!), out var id))
            {
                messages[i].Id = id;
                stored[i] = messages[i].ToEntry();
            }
        }

        return stored;
    }

    public TimelineEntry ToEntry() => new()
    {
        Id = Id,
        IncidentNumber = IncidentNumber,
        Kind = TimelineEntryKinds.TryParse(Kind, out var kind) ? kind : throw new InvalidDataException($"Unknown timeline entry kind '{Kind}'."),
        OccurredAt = UnixMs.To(OccurredAt),
        ActorId = ActorId,
        Text = Text,
        Data = Data is null ? null : JsonNode.Parse(Data)?.AsObject(),
        Slack = SlackChannelId is not null && SlackTs is not null
            ? new SlackMessageSource(SlackChannelId, SlackTs, SlackThreadTs, Permalink, IsBot)
            : null,
        EditedAt = UnixMs.To(EditedAt),
        DeletedAt = UnixMs.To(DeletedAt),
    };
}
