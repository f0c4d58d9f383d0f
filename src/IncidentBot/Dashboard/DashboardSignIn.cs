using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IncidentBot.Dashboard;

/// <summary>
/// Sign-in with Slack (OpenID Connect) into a cookie session of its own. Neither scheme is a default, so nothing
/// outside the dashboard's pages (the REST API and its keys, Slack's endpoints, /health) is read or challenged by them.
/// </summary>
public static class DashboardSignIn
{
    public const string CookieScheme = "Dashboard";
    public const string SlackScheme = "DashboardSlack";
    public const string MemberPolicy = "DashboardMember";

    /// <summary>Slack's claims in its id_token (Sign in with Slack).</summary>
    public const string TeamIdClaim = "https://slack.com/team_id";
    public const string UserIdClaim = "https://slack.com/user_id";

    public const string RefusedText = "You signed in to another Slack workspace than this IncidentBot's; sign in with an account of its workspace.";

    internal static IHostApplicationBuilder AddDashboardSignIn(this IHostApplicationBuilder builder, DashboardOptions options)
    {
        var teamId = options.TeamId!.Trim();
        builder.Services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "incidentbot.dashboard";
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
                cookie.SlidingExpiration = true;
                cookie.ForwardChallenge = SlackScheme;
            })
            .AddOpenIdConnect(SlackScheme, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = options.Authority.TrimEnd('/');
                // Plain http is accepted on loopback only (a provider for tests); the validator refuses it elsewhere.
                oidc.RequireHttpsMetadata = !(Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttp);
                oidc.ClientId = options.ClientId!.Trim();
                oidc.ClientSecret = options.ClientSecret!.Trim();
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // Slack answers the authorize request with a redirect carrying the code, not a form post; so the
                // correlation cookies need only SameSite=Lax and work on plain http behind a proxy too.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("profile");
                oidc.MapInboundClaims = false;
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.SaveTokens = false;
                oidc.Events.OnTokenValidated = context => RefuseOtherWorkspaces(context, teamId);
                oidc.Events.OnRemoteFailure = AnswerRefusal;
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(MemberPolicy, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(TeamIdClaim, teamId));
        return builder;
    }

    internal static void MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signed-out", () => Results.Content(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head><body><p>You are signed out. <a href=\"/incidents\">Sign in again</a></p></body></html>",
            "text/html; charset=utf-8")).ExcludeFromDescription();
    }

    /// <summary>The signed-in person's Slack user id.</summary>
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(UserIdClaim) ?? user.FindFirstValue("sub");

    private static Task RefuseOtherWorkspaces(TokenValidatedContext context, string teamId)
    {
        if (context.Principal?.FindFirstValue(TeamIdClaim) != teamId)
        {
            context.Fail(new AuthenticationFailureException(RefusedText));
        }

        return Task.CompletedTask;
    }

    /// <summary>A refused or broken sign-in ends on a page that says why, not on an exception.</summary>
    private static async Task AnswerRefusal(RemoteFailureContext context)
    {
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        var why = context.Failure?.Message == RefusedText ? RefusedText : "Signing in with Slack did not succeed; try again.";
        await context.Response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not signed in</title></head><body><p>{why}</p><p><a href=\"/incidents\">Try again</a></p></body></html>");
    }
}
