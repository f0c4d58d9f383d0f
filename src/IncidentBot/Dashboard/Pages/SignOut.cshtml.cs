using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Dashboard.Pages;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/incidents");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardSignIn.CookieScheme);
        return Redirect("/signed-out");
    }
}
