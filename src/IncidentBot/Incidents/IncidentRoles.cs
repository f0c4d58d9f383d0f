using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>Who holds one of the incident's roles besides the commander (<see cref="Incident.CommanderId"/>).</summary>
public sealed record RoleAssignment(string Role, string UserId, DateTimeOffset AssignedAt, string? AssignedBy);

/// <summary>A role people can be given in an incident, and what it does (told to whoever gets it).</summary>
public sealed class IncidentRoleOption
{
    public string Name { get; set; } = "";
    public string Does { get; set; } = "";
}

/// <summary>The <c>Incidents</c> section.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    /// <summary>The roles besides the commander; left out, <see cref="DefaultRoles"/>.</summary>
    public List<IncidentRoleOption>? Roles { get; set; }

    public static IReadOnlyList<IncidentRoleOption> DefaultRoles { get; } =
    [
        new() { Name = "scribe", Does = "Keep the timeline: record decisions, actions and findings as they happen, so nobody has to remember them later." },
        new() { Name = "comms lead", Does = "Keep everyone outside the channel informed: status page, support and stakeholders, at every change of status or impact." },
    ];
}

/// <summary>The configured roles: reads a role as people write it (<c>Comms-Lead</c>, <c>comms_lead</c>) and says what each does.</summary>
public sealed partial class IncidentRoles(IOptions<IncidentsOptions> options)
{
    public const int MaxRoleLength = 40;

    private readonly IReadOnlyList<IncidentRoleOption> roles = options.Value.Roles is { Count: > 0 } configured ? configured : IncidentsOptions.DefaultRoles;

    public IReadOnlyList<string> Names => [.. roles.Select(r => Normalize(r.Name))];

    /// <summary><c>scribe, comms lead</c>, for usage lines and errors.</summary>
    public string Listed => string.Join(", ", Names);

    public string? Find(string? typed) => typed is null ? null : Names.FirstOrDefault(name => name == Normalize(typed));

    /// <exception cref="IncidentValidationException">Not a configured role; the message lists them and guesses the one meant.</exception>
    public string Require(string? typed, string field = "role") =>
        Find(typed) ?? throw new IncidentValidationException(field, Unknown(typed ?? ""));

    public string Unknown(string typed)
    {
        var guess = Spelling.Closest(Normalize(typed), Names) is { } meant ? $" Did you mean {meant}?" : "";
        return typed.Trim().Length == 0
            ? $"Say which role: {Listed}."
            : $"'{typed.Trim()}' is not a role; the roles are {Listed} (and commander).{guess}";
    }

    /// <returns>Null for a role no longer configured.</returns>
    public string? Does(string role) => roles.FirstOrDefault(r => Normalize(r.Name) == role)?.Does;

    /// <summary>Lower case, one space between words, hyphens and underscores read as spaces.</summary>
    public static string Normalize(string role) => Separators().Replace(role.Trim().ToLowerInvariant(), " ").Trim();

    [GeneratedRegex(@"[\s_\-]+")]
    private static partial Regex Separators();
}

internal sealed class IncidentsOptionsValidator : IValidateOptions<IncidentsOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentsOptions options)
    {
        var seen = new HashSet<string>();
        foreach (var (role, i) in (options.Roles ?? []).Select((r, i) => (r, i)))
        {
            var key = $"Incidents:Roles:{i}";
            var normal = IncidentRoles.Normalize(role.Name ?? "");
            if (normal.Length is 0 or > IncidentRoles.MaxRoleLength || !normal.All(c => char.IsLetterOrDigit(c) || c == ' '))
            {
                return ValidateOptionsResult.Fail($"{key}:Name must be 1 to {IncidentRoles.MaxRoleLength} letters, digits and spaces, e.g. scribe, not '{role.Name}'.");
            }

            if (normal is "commander" or "ic" or "incident commander")
            {
                return ValidateOptionsResult.Fail($"{key}:Name '{role.Name}': the commander is always there; name the other roles.");
            }

            if (!seen.Add(normal))
            {
                return ValidateOptionsResult.Fail($"{key}:Name '{role.Name}' is given twice.");
            }

            if (string.IsNullOrWhiteSpace(role.Does) || role.Does.Length > 500)
            {
                return ValidateOptionsResult.Fail($"{key}:Does must say in at most 500 characters what the {normal} does; it is told to whoever gets the role.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
