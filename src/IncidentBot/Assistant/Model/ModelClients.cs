using System.ClientModel;
using System.ClientModel.Primitives;
using IncidentBot.Configuration;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The chat model, and the embedding model when one is configured, at the OpenAI-compatible endpoint of
/// <c>Ai:*</c>, each behind its resilience pipeline. Made once; the SDK's own retries are off.
/// </summary>
public sealed class ModelClients : IDisposable
{
    /// <summary>Keyless servers (Ollama, vLLM, LM Studio) are still sent a bearer token; the SDK requires one.</summary>
    public const string KeylessApiKey = "no-key";

    private ModelClients(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>>? embeddings, string model, string? embeddingModel, TimeSpan timeout)
    {
        Chat = chat;
        Embeddings = embeddings;
        Model = model;
        EmbeddingModel = embeddingModel;
        Timeout = timeout;
    }

    public IChatClient Chat { get; }

    /// <summary>Null without <c>Ai:EmbeddingModel</c>: related incidents are then ranked by words and services only.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; }
    public string Model { get; }
    public string? EmbeddingModel { get; }

    /// <summary>How long an answer may take from the model in all (<c>Ai:TimeoutSeconds</c>).</summary>
    public TimeSpan Timeout { get; }

    public static ModelClients Create(AiOptions ai, TimeProvider time, ILoggerFactory loggers, ModelResilienceOptions? resilience = null)
    {
        resilience ??= new ModelResilienceOptions { Timeout = TimeSpan.FromSeconds(ai.TimeoutSeconds) };
        var logger = loggers.CreateLogger<ModelClients>();
        var credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(ai.ApiKey) ? KeylessApiKey : ai.ApiKey);
        var options = new OpenAIClientOptions
        {
            // Polly retries; a second retry inside the SDK would multiply the waits.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),

            // Polly's timeouts end a call; this only keeps the SDK from cutting one short first.
            NetworkTimeout = resilience.Timeout * 2,
        };
        if (!string.IsNullOrWhiteSpace(ai.Endpoint))
        {
            options.Endpoint = new Uri(ai.Endpoint);
        }

        var model = ai.Model!.Trim();
        var chat = new ResilientChatClient(
            new OpenAiChatClient(new ChatClient(model, credential, options)),
            ModelResilience.Create("chat model", resilience, time, logger));
        var embeddingModel = string.IsNullOrWhiteSpace(ai.EmbeddingModel) ? null : ai.EmbeddingModel.Trim();
        var embeddings = embeddingModel is null
            ? null
            : new ResilientEmbeddingGenerator(
                new OpenAiEmbeddingGenerator(new EmbeddingClient(embeddingModel, credential, options)),
                ModelResilience.Create("embedding model", resilience, time, logger));
        logger.LogInformation("Assistant: model {Model} at {Endpoint}{Embeddings}", model, options.Endpoint?.GetLeftPart(UriPartial.Path) ?? "api.openai.com",
            embeddingModel is null ? "" : $", embeddings by {embeddingModel}");
        return new ModelClients(chat, embeddings, model, embeddingModel, resilience.Timeout);
    }

    public void Dispose()
    {
        Chat.Dispose();
        Embeddings?.Dispose();
    }
}
