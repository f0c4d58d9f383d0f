using IncidentBot.Slack.Api;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.SocketMode;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Adds the Slack transport with options bound from <paramref name="section"/> (usually "Slack").</summary>
    /// <remarks>
    /// Both transports come with it: map the HTTP endpoints with <c>MapSlackEndpoints()</c>, and Socket
    /// Mode runs by itself whenever <c>Slack:AppToken</c> is set (see <see cref="SocketModeService"/>).
    /// </remarks>
    public static SlackBuilder AddSlack(this IServiceCollection services, IConfiguration section) =>
        services.AddSlackCore(options => options.Bind(section));

    public static SlackBuilder AddSlack(this IServiceCollection services, Action<SlackOptions> configure) =>
        services.AddSlackCore(options => options.Configure(configure));

    private static SlackBuilder AddSlackCore(this IServiceCollection services, Action<OptionsBuilder<SlackOptions>> configure)
    {
        var options = services.AddOptions<SlackOptions>();
        configure(options);
        options.ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISlackMetrics, UncountedSlackMetrics>();
        services.AddLogging();
        AddInbound(services);
        AddWebApi(services);
        // Idle unless Slack:AppToken is set; decided at start, when the options are final.
        services.AddHostedService<SocketModeService>();
        return new SlackBuilder(services, Registry(services));
    }

    private static void AddInbound(IServiceCollection services)
    {
        services.TryAddSingleton<SlackSignatureVerifier>();
        services.TryAddSingleton<VerifiedBodyReader>();
        services.TryAddSingleton<SlackDispatcher>();
        services.TryAddSingleton<SlackInbox>();
        // The default; an application's durable store registered with AddSingleton wins, before or after this.
        services.TryAddSingleton<ISlackInboxStore, InMemorySlackInboxStore>();
        services.AddHostedService<SlackInboxProcessor>();
    }

    private static void AddWebApi(IServiceCollection services)
    {
        // The resilience handlers' timeouts bound each call; HttpClient's own would cut retries short.
        var webApi = services.AddHttpClient(SlackApiTransport.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        webApi.AddSlackApiResilience();
        // Inside the resilience handler, so it sees every attempt, the 429s that are retried included.
        webApi.AddHttpMessageHandler(sp => new RateLimitCounter(sp.GetRequiredService<ISlackMetrics>()));
        // A response_url works without a token for 30 minutes, so it is kept out of the HttpClient logs.
        services.AddHttpClient(ResponseUrlClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResponseUrlResilience(ResponseUrlClient.Timeout);
        services.TryAddSingleton<SlackRateLimits>();
        services.TryAddSingleton<SlackApiTransport>();
        services.TryAddSingleton<ISlackApiClient, SlackApiClient>();
        services.TryAddSingleton<ResponseUrlClient>();
    }

    // AddSlack may be called more than once (e.g. by two feature modules); they share one routing table.
    private static SlackHandlerRegistry Registry(IServiceCollection services)
    {
        if (services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(SlackHandlerRegistry))?.ImplementationInstance
            is SlackHandlerRegistry existing)
        {
            return existing;
        }

        var registry = new SlackHandlerRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
