using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Dashboard.Pages.Metrics;

/// <summary>MTTD, MTTR, how often incidents happen by severity, and the services hit most, over a chosen window.</summary>
public sealed class IndexModel(IIncidentReader reader, TimeProvider time) : PageModel
{
    public static readonly int[] Windows = [7, 30, 90, 365];

    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 30;

    public IncidentStats Stats { get; private set; } = null!;
    public FrequencyChart Chart { get; private set; } = null!;
    public bool Monthly => Days > 90;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Windows.Contains(Days))
        {
            return BadRequest($"The window must be one of {string.Join(", ", Windows)} days, not {Days}.");
        }

        var until = time.GetUtcNow();
        Stats = await reader.GetStatsAsync(until.AddDays(-Days), until, cancellationToken);
        Chart = new FrequencyChart(Monthly ? Stats.PerMonth : Stats.PerWeek, Monthly);
        return Page();
    }

    public static string Figure(TimeSpan? duration) => duration is { } d ? TimeText.Duration(d) : "no data";
}
