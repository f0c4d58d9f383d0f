using Microsoft.Extensions.Options;

namespace IncidentBot.Dashboard;

/// <summary>Each failure names the configuration key at fault, as an operator would write it.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        if (!options.Enabled)
        {
            return string.IsNullOrWhiteSpace(options.ClientSecret) && string.IsNullOrWhiteSpace(options.TeamId)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Dashboard:ClientId is required with Dashboard:ClientSecret or Dashboard:TeamId: it turns the dashboard on.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            return ValidateOptionsResult.Fail("Dashboard:ClientSecret is required with Dashboard:ClientId (the Slack app's client secret).");
        }

        if (string.IsNullOrWhiteSpace(options.TeamId) || !options.TeamId.Trim().StartsWith('T'))
        {
            return ValidateOptionsResult.Fail($"Dashboard:TeamId must be the id of the workspace whose members may sign in (T0123ABCD), not '{options.TeamId}'.");
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            return ValidateOptionsResult.Fail($"Dashboard:Authority must be an https URL such as {DashboardOptions.SlackAuthority}, not '{options.Authority}'.");
        }

        for (var i = 0; i < options.Editors.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Editors[i]) || options.Editors[i].Trim() is not ['U' or 'W', ..])
            {
                return ValidateOptionsResult.Fail($"Dashboard:Editors:{i} must be a Slack user id (U0123ABCD), not '{options.Editors[i]}'.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
