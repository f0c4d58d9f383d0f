using System.Reflection;
using IncidentBot.Configuration;
using IncidentBot.Incidents;
using IncidentBot.SlackApp;
using Microsoft.Extensions.FileProviders;

namespace IncidentBot.Dashboard;

public static class DashboardExtensions
{
    /// <summary>Where the dashboard's stylesheet and script are served from.</summary>
    public const string AssetsPath = "/dashboard/assets";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DashboardOptions, DashboardOptionsValidator>(DashboardOptions.Section);
        var options = Configured(builder.Configuration);
        if (!options.Enabled)
        {
            return builder;
        }

        builder.AddDashboardSignIn(options);
        builder.Services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Dashboard/Pages";
            pages.Conventions.AuthorizeFolder("/", DashboardSignIn.MemberPolicy);
        }).AddApplicationPart(typeof(DashboardExtensions).Assembly); // the pages are found even when another assembly is the entry (tests)
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (!Configured(app.Configuration).Enabled)
        {
            app.MapGet("/", DashboardOff.Page).ExcludeFromDescription();
            app.MapGet("/incidents", DashboardOff.Page).ExcludeFromDescription();
            return app;
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "IncidentBot.Dashboard.Assets"),
            RequestPath = AssetsPath,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(SeenByTheSignedInPersonAsync);
        app.MapGet("/", () => Results.Redirect("/incidents")).ExcludeFromDescription();
        app.MapDashboardSignIn();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// The pages read incidents as the signed-in person may see them: a private incident only when they are a member of
    /// its channel, and none while the bot has no Slack to ask who the members are.
    /// </summary>
    private static async Task SeenByTheSignedInPersonAsync(HttpContext context, RequestDelegate next)
    {
        if (context.User.UserId() is not { } person)
        {
            await next(context);
            return;
        }

        var members = context.RequestServices.GetService<PrivateIncidentMembers>();
        var audience = members is null ? IncidentAudience.PublicOnly : await members.OfUserAsync(person, context.RequestAborted);
        using (IncidentViewer.As(audience))
        {
            await next(context);
        }
    }

    /// <summary>
    /// Read as configured, before validation: whether the dashboard is on decides what is registered, and a bad value
    /// is reported by the configuration check at start, in one line.
    /// </summary>
    private static DashboardOptions Configured(IConfiguration configuration) =>
        configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
}

/// <summary>What <c>/</c> and <c>/incidents</c> answer while the dashboard is off.</summary>
internal static class DashboardOff
{
    public const string Text = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>IncidentBot</title></head>
        <body><h1>IncidentBot</h1>
        <p>The web dashboard is off: it needs sign-in with Slack. Set <code>Dashboard:ClientId</code>,
        <code>Dashboard:ClientSecret</code> (your Slack app's credentials) and <code>Dashboard:TeamId</code>
        (the workspace whose members may sign in), then restart. The REST API is at <code>/api</code>.</p>
        </body></html>
        """;

    public static IResult Page() => Results.Content(Text, "text/html; charset=utf-8");
}
