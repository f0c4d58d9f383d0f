using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Assistant.Related;

public static class RelatedExtensions
{
    /// <summary>
    /// The embedding model related incidents are ranked with (<see cref="IncidentEmbeddingModel"/>), and the hosted
    /// service that embeds incidents in the background as the core reports them changed.
    /// </summary>
    public static IServiceCollection AddRelatedEmbeddings(this IServiceCollection services)
    {
        services.AddSingleton(sp => new MiniLmEmbeddingGenerator(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AssistantOptions>>().Value.LocalEmbeddingsIdleUnload));
        services.AddSingleton(IncidentEmbeddingModel.Create);
        services.AddSingleton<BackgroundIncidentEmbedder>();
        services.AddSingleton<IIncidentObserver>(sp => sp.GetRequiredService<BackgroundIncidentEmbedder>());
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundIncidentEmbedder>());
        return services;
    }
}
