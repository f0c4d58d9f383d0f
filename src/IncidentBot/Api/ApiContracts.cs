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
    string? CommanderId = null);

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
    string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TimelinePostRequest(string? Message, string? Type = null, string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LinkRequest(string? Type, string? TargetId, string? Actor = null);

public sealed record LinkDto(string Type, string TargetId, DateTime LinkedAt, string? LinkedBy);

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
    long Version)
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
        [.. i.Links.Select(l => new LinkDto(l.Type.ToLabel(), l.Target, l.LinkedAt.UtcDateTime, l.LinkedBy))],
        i.ChannelId is null ? null : new ChannelDto(i.ChannelId, i.ChannelName),
        i.DeclaredAt.UtcDateTime,
        i.DeclaredAt.UtcDateTime,
        i.StableAt?.UtcDateTime,
        i.ResolvedAt?.UtcDateTime,
        i.UpdatedAt.UtcDateTime,
        i.TimeToResolve?.TotalSeconds,
        i.Version);
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
    IReadOnlyList<ServiceCountDto> TopServices)
{
    public static StatsDto From(IncidentStats s) => new(
        s.Since.UtcDateTime,
        s.Until.UtcDateTime,
        s.Total,
        s.Open,
        s.BySeverity.ToDictionary(p => p.Key.ToLabel(), p => p.Value),
        s.ByStatus.ToDictionary(p => p.Key.ToLabel(), p => p.Value),
        s.MeanTimeToResolve?.TotalSeconds,
        s.MeanTimeToResolve is { } mttr ? System.Xml.XmlConvert.ToString(TimeSpan.FromSeconds(Math.Round(mttr.TotalSeconds))) : null,
        s.MedianTimeToResolve?.TotalSeconds,
        s.MeanTimeToResolveBySeverity.ToDictionary(p => p.Key.ToLabel(), p => p.Value.TotalSeconds),
        [.. s.TopServices.Select(t => new ServiceCountDto(t.Service, t.Incidents))]);
}
