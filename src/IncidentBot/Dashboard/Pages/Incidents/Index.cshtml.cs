using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Dashboard.Pages.Incidents;

/// <summary>The incidents, newest first, filtered by what the URL says, a page at a time.</summary>
public sealed class IndexModel(IIncidentReader reader, IPersonNames names, AnswerRenderer renderer, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Service { get; set; }
    [BindProperty(SupportsGet = true)] public string? Environment { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public IncidentListQuery Query => new(Status, Severity, Service, Environment, From, To, Before);
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public IReadOnlyList<Incident> Incidents { get; private set; } = [];
    public IReadOnlyDictionary<long, DateTimeOffset> LastUpdates { get; private set; } = new Dictionary<long, DateTimeOffset>();
    public IReadOnlyList<string> ServiceNames { get; private set; } = [];
    public int Total { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public PageNames People { get; private set; } = PageNames.None;

    /// <summary>The cursor of the next page, when there is one.</summary>
    public long? Older { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        ServiceNames = await reader.GetServiceNamesAsync(cancellationToken);
        var (filter, problems) = Query.ToFilter();
        if (filter is null)
        {
            Problems = problems;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var page = await reader.FindAsync(filter with { Limit = IncidentListQuery.PageSize + 1 }, cancellationToken);
        Incidents = page.Take(IncidentListQuery.PageSize).ToList();
        Older = page.Count > IncidentListQuery.PageSize ? Incidents[^1].Number : null;
        Total = await reader.CountAsync(filter with { BeforeNumber = null }, cancellationToken);
        LastUpdates = await reader.GetLastUpdatesAsync(Incidents.Select(i => i.Number).ToList(), cancellationToken);
        People = await PageNames.LoadAsync(names, renderer, Incidents.Select(i => i.CommanderId), [], cancellationToken);
        return Page();
    }
}
