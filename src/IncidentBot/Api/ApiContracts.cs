using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncidentBot.Incidents;

namespace IncidentBot.Api;

// Requests take enums as strings so that a wrong value gets an answer naming the field and the
// accepted spellings; unknown properties are refused so a misspelt field is not silently dropped.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateIncidentRequest(
    [property: Description(FieldForms.Title)] string? Title,
    [property: Description(FieldForms.Severity)] string? Severity = null,
    [property: Description(FieldForms.Status)] string? Status = null,
    [property: Description(FieldForms.Services)] string[]? Services = null,
    [property: Description("a text: where it happens, e.g. production")] string? Environment = null,
    [property: Description(FieldForms.Detail)] string? Description = null,
    [property: Description("a text: what customers feel")] string? Impact = null,
    [property: Description(FieldForms.Actor)] string? DeclaredBy = null,
    [property: Description(FieldForms.UserId)] string? CommanderId = null,
    [property: Description(FieldForms.ImpactStartedAt)] string? ImpactStartedAt = null,
    [property: Description("true: a private incident, with a private Slack channel; only the channel's members and keys of Api:PrivateIncidentKeys see it")]
    bool? Private = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateIncidentRequest(
    [property: Description(FieldForms.StatusChange)] string? Status = null,
    [property: Description(FieldForms.Severity)] string? Severity = null,
    [property: Description(FieldForms.UserId)] string? CommanderId = null,
    [property: Description(FieldForms.Title)] string? Title = null,
    [property: Description("a text: what customers feel")] string? Impact = null,
    [property: Description(FieldForms.Detail)] string? Description = null,
    [property: Description("a text: what stopped the harm")] string? MitigationSummary = null,
    [property: Description("a text: what fixed it")] string? ResolutionSummary = null,
    [property: Description(FieldForms.Services)] string[]? AddServices = null,
    [property: Description(FieldForms.Services)] string[]? RemoveServices = null,
    [property: Description(FieldForms.ImpactStartedAt)] string? ImpactStartedAt = null,
    [property: Description(FieldForms.Actor)] string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TimelinePostRequest(
    [property: Description("a text: what to post")] string? Message,
    [property: Description("a text: update (the default), action or resolution")] string? Type = null,
    [property: Description(FieldForms.Actor)] string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LinkRequest(
    [property: Description("a text: " + LinkTypeText.Accepted)] string? Type,
    [property: Description("a text: the id or URL of the alert, error group, trace or deploy")] string? TargetId,
    [property: Description(FieldForms.Actor)] string? Actor = null);

/// <summary>What a field takes, in a caller's words: the field's description in the OpenAPI document and in a 400 about it.</summary>
internal static class FieldForms
{
    public const string Title = "a text: what is wrong, in a few words (at most 200 characters)";
    public const string Severity = "a text: " + SeverityText.Accepted;
    public const string Status = "a text: " + IncidentStatusText.Accepted;
    public const string StatusChange = "a text: " + IncidentStatusText.ChangeAccepted;
    public const string Services = "a list of service names, e.g. [\"checkout-api\"]";
    public const string Detail = "a text: what is known";
    public const string UserId = "a text: a Slack user id such as U0123ABCD";
    public const string ImpactStartedAt = "a text: when customers started to feel it, an ISO 8601 time such as 2026-11-01T14:32:00Z, or a duration back from now such as PT30M";
    public const string Actor = "a text: who does this, a Slack user id or a program's name (default: api)";
    public const string Day = "a text: a day, yyyy-MM-dd such as 2026-12-15";
}

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
    double? TimeToDetectSeconds,
    IReadOnlyList<RoleDto> Roles,
    IReadOnlyList<FollowUpDto> FollowUps,
    bool Private = false)
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
        i.TimeToDetect?.TotalSeconds,
        [.. i.Roles.Select(RoleDto.From)],
        [.. i.FollowUps.Select(FollowUpDto.From)],
        i.IsPrivate);
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
