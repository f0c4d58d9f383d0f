using IncidentBot.Configuration;

namespace IncidentBot.Alerts;

public static class AlertsExtensions
{
    /// <summary>Alert intake: the options checked at start, the rules and the intake. Its endpoints are <see cref="AlertsApi.MapAlertsApi"/>.</summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<AlertsOptions, AlertsOptionsValidator>(AlertsOptions.Section);
        builder.Services.AddSingleton<AlertRules>();
        builder.Services.AddSingleton<AlertIntake>();
        return builder;
    }
}
