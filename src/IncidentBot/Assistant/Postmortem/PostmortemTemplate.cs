using IncidentBot.Incidents;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Assistant.Postmortem;

/// <summary>
/// The Markdown a postmortem draft is written into. Variables are written <c>{{name}}</c>; operators can
/// replace the whole template with a file (<c>Assistant:PostmortemTemplatePath</c>) and move, drop or
/// surround the variables as they like. Unknown variables are left as they are.
/// </summary>
public static partial class PostmortemTemplate
{
    /// <summary>The variables a template may use.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        "draft_notice", "reference", "title", "severity", "status", "commander", "services", "declared_at", "stable_at", "resolved_at",
        "time_to_resolve", "message_count", "engine", "generated_at", "summary", "impact", "timeline", "root_cause", "resolution",
        "action_items", "lessons_learned", "sources",
    ];

    public const string Default = """
        # Postmortem: {{reference}} · {{title}}

        {{draft_notice}}

        - **Severity:** {{severity}}
        - **Status:** {{status}}
        - **Commander:** {{commander}}
        - **Services:** {{services}}
        - **Declared:** {{declared_at}} · **Stable:** {{stable_at}} · **Resolved:** {{resolved_at}}
        - **Time to resolve:** {{time_to_resolve}}

        ## Summary

        {{summary}}

        ## Impact

        {{impact}}

        ## Timeline

        {{timeline}}

        ## Root cause

        {{root_cause}}

        ## Resolution

        {{resolution}}

        ## Action items

        {{action_items}}

        ## Lessons learned

        {{lessons_learned}}

        ## Sources

        {{sources}}
        """;

    /// <summary>The template with each known variable replaced. A template without <c>{{draft_notice}}</c> gets the notice on top.</summary>
    /// <summary>The template's variables that come from the incident's record, the same whichever engine writes.</summary>
    public static Dictionary<string, string> RecordValues(Incident incident, string draftNotice, string engine, int messages, DateTimeOffset now) =>
        new(StringComparer.Ordinal)
        {
            ["draft_notice"] = draftNotice,
            ["reference"] = incident.Reference,
            ["title"] = incident.Title,
            ["severity"] = $"{incident.Severity.ToLabel()} ({incident.Severity.Describe()})",
            ["status"] = incident.Status.ToLabel(),
            ["commander"] = AnswerWriter.Person(incident.CommanderId),
            ["services"] = incident.Services.Count == 0 ? "none recorded" : string.Join(", ", incident.Services),
            ["declared_at"] = AnswerWriter.Time(incident.DeclaredAt),
            ["stable_at"] = incident.StableAt is { } stable ? AnswerWriter.Time(stable) : "never marked stable",
            ["resolved_at"] = incident.ResolvedAt is { } resolved ? AnswerWriter.Time(resolved) : "not resolved",
            ["time_to_resolve"] = incident.TimeToResolve is { } ttr ? AnswerWriter.Duration(ttr) : "not resolved",
            ["message_count"] = messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["engine"] = engine,
            ["generated_at"] = AnswerWriter.Time(now),
        };

    /// <summary>The incident's tracked follow-ups as action items, ticked when done, each citing the incident's record.</summary>
    internal static IReadOnlyList<string> FollowUpItems(Incident incident, AnswerWriter writer) =>
    [
        .. incident.FollowUps.Select(f => $"- [{(f.Status == FollowUpStatus.Done ? "x" : " ")}] {f.Text}"
            + (f.OwnerId is null ? " (no owner yet)" : $" (owner {AnswerWriter.Person(f.OwnerId)}")
            + (f.DueOn is { } due ? $"{(f.OwnerId is null ? " —" : ",")} due {due:yyyy-MM-dd}" : "")
            + (f.OwnerId is null ? "" : ")")
            + writer.Markers([new Citation(incident.Number)])),
    ];

    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = Variable().Replace(template, match =>
            values.TryGetValue(match.Groups[1].Value.ToLowerInvariant(), out var value) ? value : match.Value);
        return Variable().Matches(template).Any(m => m.Groups[1].Value.Equals("draft_notice", StringComparison.OrdinalIgnoreCase))
            ? text
            : values["draft_notice"] + "\n\n" + text;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_]+)\s*\}\}")]
    private static partial Regex Variable();
}

/// <summary>Where the template comes from: the operator's file, read at each draft so edits apply at once, else the default.</summary>
public sealed class PostmortemTemplateSource(IOptions<AssistantOptions> options)
{
    public async Task<string> GetAsync(CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(options.Value.PostmortemTemplatePath)
            ? PostmortemTemplate.Default
            : await File.ReadAllTextAsync(options.Value.PostmortemTemplatePath, cancellationToken);
}
