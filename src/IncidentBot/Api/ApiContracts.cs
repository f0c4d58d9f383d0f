using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncidentBot.Incidents;

namespace IncidentBot.Api;

// Requests take enums as strings so that a wrong value gets an answer naming the field and the
// accepted spellings; unknown properties are refused so a misspelt field is not silently dropped.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateIncidentRequest(
    string? Title,
    string? Severity = null,
    string? Status = null,
    string[]? Services = null,
    string? Environment = null,
    string? Description = null,
    string? Impact = null,
    string? DeclaredBy = null,
    string? CommanderId = null,
    string? ImpactStartedAt = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateIncidentRequest(
    string? Status = null,
    string? Severity = null,
    string? CommanderId = null,
    string? Title = null,
    string? Impact = null,
    string? Description = null,
    string? MitigationSummary = null,
    string? ResolutionSummary = null,
    string[]? AddServices = null,
    string[]? RemoveServices = null,
    string? ImpactStartedAt = null,
    string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TimelinePostRequest(string? Message, string? Type = null, string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LinkRequest(string? Type, string? TargetId, string? Actor = null);

/// <param name="Alert">For an alert from alert intake: its title, status and times as its source last said.</param>
public sealed record LinkDto(string Type, string TargetId, DateTime LinkedAt, string? LinkedBy, string? Url = null, AlertStateDto? Alert = null)
{
    public static LinkDto From(LinkedResource link) => new(
        link.Type.ToLabel(),
        link.Target,
        link.LinkedAt.UtcDateTime,
        link.LinkedBy,
        link.Url,
        link.Alert is { } alert ? new AlertStateDto(alert.Title, alert.Status.ToLabel(), alert.StartedAt?.UtcDateTime, alert.EndedAt?.UtcDateTime) : null);
}

public sealed record AlertStateDto(string Title, string Status, DateTime? StartedAt, DateTime? EndedAt);

public sealed record ChannelDto(string Id, string? Name);

public sealed record IncidentDto(
    string Id,
    long Number,
    string Title,
    string Severity,
    string Status,
    string? CommanderId,
    IReadOnlyList<string> Services,
    string? Environment,
    string? Impact,
    string? Description,
    string? DeclaredBy,
    string? MitigationSummary,
    string? ResolutionSummary,
    IReadOnlyList<LinkDto> Links,
    ChannelDto? Channel,
    DateTime CreatedAt,
    DateTime DeclaredAt,
    DateTime? StableAt,
    DateTime? ResolvedAt,
    DateTime UpdatedAt,
    double? TimeToResolveSeconds,
    long Version,
    DateTime? ImpactStartedAt,
    double? TimeToDetectSeconds)
{
    // Times leave as UTC DateTime so they serialise with a 'Z'.
    public static IncidentDto From(Incident i) => new(
        i.Reference,
        i.Number,
        i.Title,
        i.Severity.ToLabel(),
        i.Status.ToLabel(),
        i.CommanderId,
        i.Services,
        i.Environment,
        i.CustomerImpact,
        i.Description,
        i.DeclaredBy,
        i.MitigationSummary,
        i.ResolutionSummary,
        [.. i.Links.Select(LinkDto.From)],
        i.ChannelId is null ? null : new ChannelDto(i.ChannelId, i.ChannelName),
        i.DeclaredAt.UtcDateTime,
        i.DeclaredAt.UtcDateTime,
        i.StableAt?.UtcDateTime,
        i.ResolvedAt?.UtcDateTime,
        i.UpdatedAt.UtcDateTime,
        i.TimeToResolve?.TotalSeconds,
        i.Version,
        i.ImpactStartedAt?.UtcDateTime,
        i.TimeToDetect?.TotalSeconds);
}

public sealed record SlackSourceDto(string ChannelId, string Ts, string? ThreadTs, string? Permalink, bool IsBot);

public sealed record TimelineEntryDto(
    long Id,
    string Type,
    DateTime OccurredAt,
    string? Actor,
    string Text,
    JsonObject? Data,
    SlackSourceDto? Slack,
    DateTime? EditedAt,
    bool Deleted)
{
    public static TimelineEntryDto From(TimelineEntry e) => new(
        e.Id,
        e.Kind.ToWireName(),
        e.OccurredAt.UtcDateTime,
        e.ActorId,
        e.Text,
        e.Data,
        e.Slack is { } s ? new SlackSourceDto(s.ChannelId, s.Ts, s.ThreadTs, s.Permalink, s.IsBot) : null,
        e.EditedAt?.UtcDateTime,
        e.DeletedAt is not null);
}

/// <summary>A page of results; <c>nextCursor</c> goes back as the cursor parameter for the next page, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record ServiceCountDto(string Service, int Incidents);

public sealed record StatsDto(
    DateTime Since,
    DateTime Until,
    int Total,
    int Open,
    IReadOnlyDictionary<string, int> BySeverity,
    IReadOnlyDictionary<string, int> ByStatus,
    double? MttrSeconds,
    string? Mttr,
    double? MedianTimeToResolveSeconds,
    IReadOnlyDictionary<string, double> MttrSecondsBySeverity,
    IReadOnlyList<ServiceCountDto> TopServices,
    double? MttdSeconds,
    string? Mttd,
    FrequencyDto Frequency)
{
    public static StatsDto From(IncidentStats s) => new(
        s.Since.UtcDateTime,
        s.Until.UtcDateTime,
        s.Total,
        s.Open,
        s.BySeverity.ToDictionary(p => p.Key.ToLabel(), p => p.Value),
        s.ByStatus.ToDictionary(p => p.Key.ToLabel(), p => p.Value),
        s.MeanTimeToResolve?.TotalSeconds,
        IsoDuration(s.MeanTimeToResolve),
        s.MedianTimeToResolve?.TotalSeconds,
        s.MeanTimeToResolveBySeverity.ToDictionary(p => p.Key.ToLabel(), p => p.Value.TotalSeconds),
        [.. s.TopServices.Select(t => new ServiceCountDto(t.Service, t.Incidents))],
        s.MeanTimeToDetect?.TotalSeconds,
        IsoDuration(s.MeanTimeToDetect),
        new FrequencyDto([.. s.PerWeek.Select(FrequencyBucketDto.From)], [.. s.PerMonth.Select(FrequencyBucketDto.From)]));

    private static string? IsoDuration(TimeSpan? duration) =>
        duration is { } d ? System.Xml.XmlConvert.ToString(TimeSpan.FromSeconds(Math.Round(d.TotalSeconds))) : null;
}

/// <summary>Incidents declared per week (Monday to Sunday, UTC) and per calendar month of the window, by severity.</summary>
public sealed record FrequencyDto(IReadOnlyList<FrequencyBucketDto> PerWeek, IReadOnlyList<FrequencyBucketDto> PerMonth);

public sealed record FrequencyBucketDto(string Start, int Total, IReadOnlyDictionary<string, int> BySeverity)
{
    public static FrequencyBucketDto From(FrequencyBucket bucket) => new(
        bucket.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        bucket.Total,
        bucket.BySeverity.ToDictionary(p => p.Key.ToLabel(), p => p.Value));
}
