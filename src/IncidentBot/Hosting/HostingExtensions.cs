using IncidentBot.Alerts;
using IncidentBot.Api;
using IncidentBot.Assistant;
using IncidentBot.Cluster;
using IncidentBot.Configuration;
using IncidentBot.Dashboard;
using IncidentBot.Dora;
using IncidentBot.Incidents;
using IncidentBot.Reminders;
using IncidentBot.SlackApp;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Hosting;

public static class HostingExtensions
{
    /// <summary>The largest request body accepted anywhere; Slack's payloads and API calls are far smaller.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddIncidentBot(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddTelemetry();
        builder.AddStorage();
        builder.AddClusterJobs();
        builder.AddIncidents();
        builder.AddRestApi();
        builder.AddCheckedOptions<AiOptions, AiOptionsValidator>(AiOptions.Section);
        builder.AddAssistant();
        builder.AddSlackApp();
        builder.AddAlerts();
        builder.AddReminders();
        builder.AddDora();
        builder.AddDashboard();
        return builder;
    }

    public static WebApplication MapIncidentBot(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthEndpoints();
        app.MapTelemetry();
        app.MapIncidentsApi();
        app.MapFollowUpsApi();
        app.MapAssistantApi();
        app.MapApiDocument();
        app.MapSlackApp();
        app.MapAlertsApi();
        app.MapDoraApi();
        app.MapDashboard();
        return app;
    }

    private static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<IncidentsOptions, IncidentsOptionsValidator>(IncidentsOptions.Section);
        builder.Services.AddSingleton<IncidentRoles>();
        builder.Services.AddSingleton<IncidentService>();
        return builder;
    }

    private static IHostApplicationBuilder AddRestApi(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<ApiOptions, ApiOptionsValidator>(ApiOptions.Section);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.AllowTrailingCommas = false;
            // Which of two equal keys wins differs between parsers, so a repeated key is refused like an unknown one.
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiExceptionHandler.Explain);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.AddApiDocument();
        return builder;
    }
}
