using IncidentBot.Assistant.Model;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// The one embedding model related incidents are ranked with, behind Microsoft.Extensions.AI's port: the configured
/// one (<c>Ai:EmbeddingModel</c>) when there is one, else all-MiniLM-L6-v2 in-process unless
/// <c>Assistant:LocalEmbeddings</c> is false; <see cref="Generator"/> is null then, and the ranking is by words and services.
/// </summary>
public sealed class IncidentEmbeddingModel
{
    public IncidentEmbeddingModel(IEmbeddingGenerator<string, Embedding<float>>? generator, string? name)
    {
        Generator = generator;
        Name = name;
    }

    /// <summary>No embedding model: words and services only.</summary>
    public static IncidentEmbeddingModel None { get; } = new(null, null);

    public IEmbeddingGenerator<string, Embedding<float>>? Generator { get; }

    /// <summary>The name vectors are stored under: vectors of different models are never compared.</summary>
    public string? Name { get; }

    /// <summary>The in-process model: free to run, so <see cref="BackgroundIncidentEmbedder"/> keeps every vector up to date.</summary>
    public bool IsKeptInBackground => Generator is MiniLmEmbeddingGenerator;

    public static IncidentEmbeddingModel Create(IServiceProvider services)
    {
        if (services.GetService<ModelClients>() is { Embeddings: { } configured, EmbeddingModel: { } name })
        {
            return new IncidentEmbeddingModel(configured, name);
        }

        return services.GetRequiredService<IOptions<AssistantOptions>>().Value.LocalEmbeddings
            ? new IncidentEmbeddingModel(services.GetRequiredService<MiniLmEmbeddingGenerator>(), MiniLmEmbeddingGenerator.ModelId)
            : None;
    }
}
