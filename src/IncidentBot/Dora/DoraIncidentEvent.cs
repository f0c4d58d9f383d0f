using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Dora;

/// <summary>
/// An incident event in the shape of Datadog's DORA Metrics API (<c>POST /api/v2/dora/incident</c>): the body that is
/// pushed, and what the pull endpoint lists. Built from the incident as it is when the event is sent.
/// </summary>
public sealed record DoraIncidentEvent([property: JsonPropertyName("data")] DoraIncidentData Data)
{
    public static DoraIncidentEvent For(Incident incident, DoraOutboxRecord record, DoraOptions options)
    {
        var team = string.IsNullOrWhiteSpace(options.Team) ? null : options.Team.Trim();
        var env = incident.Environment ?? (string.IsNullOrWhiteSpace(options.Environment) ? null : options.Environment.Trim());
        return new(new DoraIncidentData(new DoraIncidentAttributes
        {
            Id = incident.Reference,
            // The event leaves the bot for whoever reads the metrics: a private incident counts, its title stays in.
            Name = incident.IsPrivate ? $"{incident.Reference} (private incident)" : incident.Title,
            Services = incident.Services.Count == 0 ? null : incident.Services,
            Team = team,
            StartedAt = Nanoseconds(incident.ImpactStartedAt is { } impact && impact < incident.DeclaredAt ? impact : incident.DeclaredAt),
            FinishedAt = record.Event == DoraEventKind.Resolved ? Nanoseconds(record.OccurredAt) : null,
            Severity = incident.Severity.ToLabel(),
            Env = env,
            Git = DeployGit.Of(incident),
        }));
    }

    private static long Nanoseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;
}

public sealed record DoraIncidentData([property: JsonPropertyName("attributes")] DoraIncidentAttributes Attributes);

/// <summary>Null attributes are left out of the JSON.</summary>
public sealed record DoraIncidentAttributes
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("services"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Services { get; init; }

    [JsonPropertyName("team"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Team { get; init; }

    [JsonPropertyName("started_at")]
    public long StartedAt { get; init; }

    [JsonPropertyName("finished_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FinishedAt { get; init; }

    [JsonPropertyName("severity")]
    public required string Severity { get; init; }

    [JsonPropertyName("env"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Env { get; init; }

    [JsonPropertyName("git"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DoraGit? Git { get; init; }
}

public sealed record DoraGit(
    [property: JsonPropertyName("commit_sha")] string CommitSha,
    [property: JsonPropertyName("repository_url")] string RepositoryUrl);

/// <summary>The repository and commit of the incident's latest linked deploy, when its URL names them (…/owner/repo/commit/sha).</summary>
internal static partial class DeployGit
{
    public static DoraGit? Of(Incident incident) =>
        incident.Links.Where(link => link.Type == LinkType.Deploy).Reverse()
            .Select(link => CommitUrl().Match(link.Url ?? link.Target))
            .Where(match => match.Success)
            .Select(match => new DoraGit(match.Groups["sha"].Value.ToLowerInvariant(), match.Groups["repository"].Value))
            .FirstOrDefault();

    [GeneratedRegex(@"^(?<repository>https?://[^/\s]+/[^\s]+?)/-?/?commits?/(?<sha>[0-9a-fA-F]{7,40})\b")]
    private static partial Regex CommitUrl();
}
