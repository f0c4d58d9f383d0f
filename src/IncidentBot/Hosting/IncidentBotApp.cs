using IncidentBot.Configuration;

namespace IncidentBot.Hosting;

/// <summary>Builds the whole application; <c>Program</c> and the tests start it the same way.</summary>
public static class IncidentBotApp
{
    /// <param name="configure">Runs before the application's own registrations, e.g. to add configuration in tests.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(new WebApplicationOptions { Args = args }, configure);

    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        builder.AddIncidentBot();
        var app = builder.Build();
        app.MapIncidentBot();
        return app;
    }

    /// <returns>Null when the configuration is good, otherwise one line naming the key at fault.</returns>
    public static string? FindConfigurationError(this WebApplication app) =>
        app.Services.GetRequiredService<ConfigurationCheck>().FindError(app.Services, app.Configuration);
}
