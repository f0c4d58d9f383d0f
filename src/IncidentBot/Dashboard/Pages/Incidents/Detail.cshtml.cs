using IncidentBot.Api;
using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IncidentBot.Dashboard.Pages.Incidents;

/// <summary>
/// One incident: its state, timeline, links, summary, related incidents and postmortem drafts; for editors, the
/// changes that Slack and the REST API offer too, each one call into <see cref="IncidentService"/>.
/// </summary>
public sealed class DetailModel(
    IIncidentReader reader,
    IncidentService incidents,
    IncidentAssistant assistant,
    IPersonNames names,
    AnswerRenderer renderer,
    IOptions<DashboardOptions> options,
    TimeProvider time) : PageModel
{
    public Incident Incident { get; private set; } = null!;
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public IReadOnlyList<PostmortemDraft> Drafts { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public PageNames People { get; private set; } = PageNames.None;
    public string? TeamId => options.Value.TeamId;
    public bool IsEditor => options.Value.IsEditor(User.UserId());

    /// <summary>What the last change did or why it was refused, shown once after the redirect.</summary>
    [TempData] public string? Notice { get; set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken) =>
        await LoadAsync(reference, withDrafts: true, cancellationToken) ?? Page();

    /// <summary>The header and timeline alone, which the page polls for while the incident is open.</summary>
    public async Task<IActionResult> OnGetLiveAsync(string reference, CancellationToken cancellationToken)
    {
        if (await LoadAsync(reference, withDrafts: false, cancellationToken) is { } failed)
        {
            return failed;
        }

        Response.Headers["X-Incident-Version"] = Incident.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Response.Headers["X-Timeline-Entries"] = LiveStamp();
        Response.Headers.CacheControl = "no-store";
        return Partial("_Live", this);
    }

    public async Task<IActionResult> OnGetSummaryAsync(string reference, CancellationToken cancellationToken) =>
        Number(reference) is { } number ? Partial("_Summary", await SaidAsync(await assistant.SummarizeAsync(number, cancellationToken), SummaryDto.Texts, cancellationToken)) : NotFound();

    public async Task<IActionResult> OnGetRelatedAsync(string reference, CancellationToken cancellationToken) =>
        Number(reference) is { } number ? Partial("_Related", await SaidAsync(await assistant.FindRelatedAsync(number, cancellationToken), RelatedDto.Texts, cancellationToken)) : NotFound();

    /// <summary>The people an answer's lines mention, by name; its links as links.</summary>
    private async Task<Said<TAnswer>> SaidAsync<TAnswer>(TAnswer answer, Func<TAnswer, IEnumerable<string>> texts, CancellationToken cancellationToken) =>
        new(answer, await PageNames.LoadAsync(names, renderer, [], texts(answer), cancellationToken));

    public Task<IActionResult> OnPostStatusAsync(string reference, string? status) => ChangeAsync(reference, () =>
        IncidentStatusText.TryParseChange(status, out var to)
            ? new IncidentEdit { Status = to }
            : throw new IncidentValidationException("status", $"'{status}' is not a status: use active, stable, resolved or completed."));

    public Task<IActionResult> OnPostSeverityAsync(string reference, string? severity) => ChangeAsync(reference, () =>
        SeverityText.TryParse(severity, out var to)
            ? new IncidentEdit { Severity = to }
            : throw new IncidentValidationException("severity", $"'{severity}' is not a severity: use {SeverityText.Accepted}."));

    public Task<IActionResult> OnPostCommanderAsync(string reference, string? commander) => ChangeAsync(reference, () =>
        new IncidentEdit { CommanderId = IncidentFieldRules.UserId(commander?.Trim(), "commander") ?? throw new IncidentValidationException("commander", "Name the commander by Slack user id (U0123ABCD).") });

    public async Task<IActionResult> OnPostUpdateAsync(string reference, string? text, string? kind, CancellationToken cancellationToken) =>
        await RunAsync(reference, async number =>
        {
            var entryKind = TimelineEntryKinds.TryParse(kind ?? "update", out var parsed) && TimelineEntryKinds.Postable.Contains(parsed)
                ? parsed
                : throw new IncidentValidationException("kind", $"'{kind}' cannot be posted: use update, action or resolution.");
            await incidents.PostAsync(number, entryKind, text, User.UserId(), cancellationToken);
            return $"Your {entryKind.ToWireName()} is posted.";
        });

    private Task<IActionResult> ChangeAsync(string reference, Func<IncidentEdit> edit) => RunAsync(reference, async number =>
    {
        var update = await incidents.EditAsync(number, edit(), User.UserId(), cancellationToken: HttpContext.RequestAborted);
        return update.Changed ? string.Join(" ", update.Entries.Select(entry => entry.Text)) : "Nothing changed: it was so already.";
    });

    /// <summary>Editors only; the outcome is said on the incident's page after a redirect, so a reload posts nothing twice.</summary>
    private async Task<IActionResult> RunAsync(string reference, Func<long, Task<string>> change)
    {
        if (!IsEditor)
        {
            return DeclareModel.OnlyEditors();
        }

        if (Number(reference) is not { } number)
        {
            return NotFound();
        }

        try
        {
            Notice = await change(number);
        }
        catch (Exception exception) when (exception is IncidentValidationException or IncidentConflictException)
        {
            Notice = exception.Message;
        }
        catch (IncidentNotFoundException)
        {
            return NotFound();
        }

        return Redirect($"/incidents/{IncidentReference.Format(number)}");
    }

    private async Task<IActionResult?> LoadAsync(string reference, bool withDrafts, CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        if (Number(reference) is not { } number || await reader.GetAsync(number, cancellationToken) is not { } incident)
        {
            return NotFound();
        }

        Incident = incident;
        Timeline = await reader.GetTimelineAsync(number, new TimelineQuery(), cancellationToken);
        Drafts = withDrafts ? await reader.GetPostmortemDraftsAsync(number, cancellationToken) : [];
        var people = Timeline.Select(entry => entry.ActorId).Concat(Drafts.Select(draft => draft.CreatedBy)).Append(incident.CommanderId).Append(incident.DeclaredBy);
        People = await PageNames.LoadAsync(names, renderer, people, Timeline.Select(entry => entry.Text), cancellationToken);
        return null;
    }

    /// <summary>Changes when an entry is added, edited or deleted, so the page replaces its timeline only then.</summary>
    public string LiveStamp() => $"{Timeline.Count}-{Timeline.Select(e => (e.EditedAt ?? e.DeletedAt ?? e.OccurredAt).ToUnixTimeMilliseconds()).DefaultIfEmpty().Max()}";

    private static long? Number(string reference) => IncidentReference.TryParse(reference, out var number) ? number : null;
}
