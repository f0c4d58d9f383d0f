using IncidentBot.Configuration;
using IncidentBot.Incidents;
using Microsoft.Extensions.Options;
using Polly;

namespace IncidentBot.Dora;

public static class DoraExtensions
{
    /// <summary>
    /// DORA incident events, checked at start. The storage records them always (so the pull endpoint has them);
    /// they are pushed only with <c>Dora:Endpoint</c> and <c>Dora:ApiKey</c> set.
    /// </summary>
    public static IHostApplicationBuilder AddDora(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DoraOptions, DoraOptionsValidator>(DoraOptions.Section);
        // Read as text: a value that does not bind is for the configuration check to report, not for this to throw on.
        var section = builder.Configuration.GetSection(DoraOptions.Section);
        if (!new DoraOptions { Endpoint = section[nameof(DoraOptions.Endpoint)], ApiKey = section[nameof(DoraOptions.ApiKey)] }.IsConfigured)
        {
            return builder;
        }

        // One attempt per send, bounded in time; the outbox is the retry, so none is stacked here.
        builder.Services.AddHttpClient(DoraSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("dora", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<DoraOptions>>().Value.RequestTimeout));
        builder.Services.AddSingleton<DoraSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DoraSender>());
        builder.Services.AddSingleton<IIncidentObserver, DoraOutboxObserver>();
        return builder;
    }
}
