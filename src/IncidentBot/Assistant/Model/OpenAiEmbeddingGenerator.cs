using Microsoft.Extensions.AI;
using OpenAI.Embeddings;

namespace IncidentBot.Assistant.Model;

/// <summary><see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the OpenAI SDK's <see cref="EmbeddingClient"/> (<c>POST /embeddings</c>).</summary>
internal sealed class OpenAiEmbeddingGenerator(EmbeddingClient client) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        var result = (await client.GenerateEmbeddingsAsync(inputs, cancellationToken: cancellationToken)).Value;
        if (result.Count != inputs.Count)
        {
            throw new InvalidOperationException($"The embedding model returned {result.Count} vectors for {inputs.Count} texts.");
        }

        return new GeneratedEmbeddings<Embedding<float>>(
            result.OrderBy(e => e.Index).Select(e => new Embedding<float>(e.ToFloats()) { ModelId = result.Model }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingClient) ? client
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
