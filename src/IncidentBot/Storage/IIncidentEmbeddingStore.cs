namespace IncidentBot.Storage;

/// <summary>
/// Vectors that say what incidents are about, made by an embedding model, kept so each is made once per
/// model and incident text. Written only by the assistant, from the incident's own text.
/// </summary>
public interface IIncidentEmbeddingStore
{
    /// <summary>The stored vectors of these incidents for <paramref name="model"/>; incidents without one are absent.</summary>
    Task<IReadOnlyDictionary<long, IncidentEmbedding>> GetAsync(
        string model, IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default);

    /// <summary>Stores the vectors, replacing those the incidents had for <paramref name="model"/>.</summary>
    Task SaveAsync(string model, IReadOnlyList<IncidentEmbedding> embeddings, DateTimeOffset createdAt, CancellationToken cancellationToken = default);
}

/// <param name="TextHash">The hash of the text the vector was made from; a different hash means the vector is stale.</param>
public sealed record IncidentEmbedding(long IncidentNumber, string TextHash, ReadOnlyMemory<float> Vector);
