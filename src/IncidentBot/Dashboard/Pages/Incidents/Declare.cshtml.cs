using IncidentBot.Incidents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IncidentBot.Dashboard.Pages.Incidents;

/// <summary>Declares an incident as <c>/incident declare</c> and <c>POST /api/incidents</c> do: one call into the core.</summary>
public sealed class DeclareModel(IncidentService incidents, IOptions<DashboardOptions> options) : PageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Severity { get; set; }
    [BindProperty] public string? Services { get; set; }
    [BindProperty] public string? Environment { get; set; }
    [BindProperty] public string? CustomerImpact { get; set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public IActionResult OnGet() => options.Value.IsEditor(User.UserId()) ? Page() : OnlyEditors();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsEditor(User.UserId()))
        {
            return OnlyEditors();
        }

        var severity = IncidentBot.Incidents.Severity.Unknown;
        if (!string.IsNullOrWhiteSpace(Severity) && !SeverityText.TryParse(Severity, out severity))
        {
            return Refuse($"'{Severity}' is not a severity: use {SeverityText.Accepted}.");
        }

        try
        {
            var incident = await incidents.DeclareAsync(new IncidentDraft
            {
                Title = Title ?? "",
                Severity = severity,
                Services = Services?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Environment = Environment,
                CustomerImpact = CustomerImpact,
                DeclaredBy = User.UserId(),
            }, cancellationToken);
            return Redirect($"/incidents/{incident.Reference}");
        }
        catch (IncidentValidationException exception)
        {
            return Refuse(exception.Message);
        }
    }

    private PageResult Refuse(string problem)
    {
        Problems = [problem];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    internal static ContentResult OnlyEditors() => new()
    {
        StatusCode = StatusCodes.Status403Forbidden,
        ContentType = "text/plain; charset=utf-8",
        Content = "Only editors may change incidents (Dashboard:Editors).",
    };
}
