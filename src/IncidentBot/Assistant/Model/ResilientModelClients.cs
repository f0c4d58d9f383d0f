using Microsoft.Extensions.AI;
using Polly;

namespace IncidentBot.Assistant.Model;

/// <summary>Runs each call to the chat model through its resilience pipeline.</summary>
internal sealed class ResilientChatClient(IChatClient inner, ResiliencePipeline pipeline) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Materialised once: a retry sends the same conversation again.
        var conversation = messages.ToList();
        return await pipeline.ExecuteAsync(token => base.GetResponseAsync(conversation, options, token), cancellationToken);
    }
}

/// <summary>Runs each call to the embedding model through its resilience pipeline.</summary>
internal sealed class ResilientEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ResiliencePipeline pipeline)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        return await pipeline.ExecuteAsync(token => base.GenerateAsync(inputs, options, token), cancellationToken);
    }
}
