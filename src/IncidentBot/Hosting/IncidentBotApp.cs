using IncidentBot.Configuration;

namespace IncidentBot.Hosting;

/// <summary>Builds the whole application; <c>Program</c> and the tests start it the same way.</summary>
public static class IncidentBotApp
{
    /// <summary>Where the bot listens when no address is configured (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Urls</c>, Kestrel endpoints).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Runs the bot until it is stopped.</summary>
    /// <returns>0 after a normal stop; 1 when it could not start, said in one line on stderr.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication? app = null;
        try
        {
            app = Build(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot() });
            if (app.FindConfigurationError() is { } error)
            {
                throw new StartupException(error);
            }

            await app.StartAsync();
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync(StartupFailure.Describe(exception));
            await DisposeQuietlyAsync(app);
            return 1;
        }

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IncidentBot").LogInformation("{HowItRuns}", StartupSummary.Describe(app));
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>
    /// Null (ASP.NET Core's default, the working directory) unless appsettings.json is not there but beside the program,
    /// as when it is started from elsewhere (<c>dotnet /opt/incidentbot/IncidentBot.dll</c>, a service manager's
    /// default directory): then beside the program, so its settings and log format are the ones it ships with.
    /// </summary>
    private static string? ContentRoot() =>
        !File.Exists(Path.Combine(Directory.GetCurrentDirectory(), SettingsFile)) && File.Exists(Path.Combine(AppContext.BaseDirectory, SettingsFile))
            ? AppContext.BaseDirectory
            : null;

    private const string SettingsFile = "appsettings.json";

    /// <param name="configure">Runs before the application's own registrations, e.g. to add configuration in tests.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(new WebApplicationOptions { Args = args }, configure);

    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        builder.ListenOnDefaultUrlUnlessConfigured();
        builder.KeepStartupFailuresOutOfTheLog();
        builder.AddIncidentBot();
        var app = builder.Build();
        app.MapIncidentBot();
        return app;
    }

    /// <returns>Null when the configuration is good, otherwise one line naming the key at fault.</returns>
    public static string? FindConfigurationError(this WebApplication app) =>
        app.Services.GetRequiredService<ConfigurationCheck>().FindError(app.Services, app.Configuration);

    /// <summary>
    /// The default address is set in code rather than in appsettings.json or the launch profile, because either of
    /// those would win over <c>ASPNETCORE_URLS</c>.
    /// </summary>
    private static void ListenOnDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        string[] addressKeys = [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];
        if (addressKeys.All(key => string.IsNullOrWhiteSpace(configuration[key])) && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    /// <summary>
    /// The host logs a failed start as an error with its stack trace before it rethrows; <see cref="RunAsync"/> says
    /// the same in one line, so the host's errors are left out until the bot has started. A background service that
    /// fails meanwhile still shows: the host says so again as critical when it stops for it. The category logs
    /// nothing useful below Warning (hosting starting, started, stopping).
    /// </summary>
    private static void KeepStartupFailuresOutOfTheLog(this WebApplicationBuilder builder)
    {
        var started = false;
        builder.Logging.AddFilter(
            "Microsoft.Extensions.Hosting.Internal.Host",
            level => level is LogLevel.Warning or LogLevel.Critical || (level is LogLevel.Error && Volatile.Read(ref started)));
        builder.Services.AddHostedService(sp => new StartedSignal(sp.GetRequiredService<IHostApplicationLifetime>(), () => Volatile.Write(ref started, true)));
    }

    private static async Task DisposeQuietlyAsync(WebApplication? app)
    {
        try
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // The line on stderr said why start-up failed; what cleaning up the half-started host finds adds nothing.
        }
    }

    private sealed class StartedSignal(IHostApplicationLifetime lifetime, Action onStarted) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(onStarted);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
