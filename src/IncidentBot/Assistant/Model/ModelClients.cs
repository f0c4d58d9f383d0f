using System.ClientModel;
using System.ClientModel.Primitives;
using IncidentBot.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using OpenAI.Embeddings;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The chat model (Semantic Kernel's OpenAI connector), and the embedding model when one is configured, at the
/// OpenAI-compatible endpoint of <c>Ai:*</c>. Each goes through its own HttpClient, whose resilience handler
/// (<see cref="ModelExtensions.AddModel"/>) is the only retry: the SDK's own is off.
/// </summary>
public sealed class ModelClients : IDisposable
{
    /// <summary>Keyless servers (Ollama, vLLM, LM Studio) are still sent a bearer token; the SDK requires one.</summary>
    public const string KeylessApiKey = "no-key";

    internal const string ChatHttpClient = "IncidentBot.Model.Chat";
    internal const string EmbeddingHttpClient = "IncidentBot.Model.Embeddings";

    public ModelClients(IOptions<AiOptions> options, ModelResilienceOptions resilience, IHttpClientFactory http, ILoggerFactory loggers)
    {
        var ai = options.Value;
        var credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(ai.ApiKey) ? KeylessApiKey : ai.ApiKey);
        Model = ai.Model!.Trim();
        EmbeddingModel = string.IsNullOrWhiteSpace(ai.EmbeddingModel) ? null : ai.EmbeddingModel.Trim();
        Timeout = resilience.Timeout;
        Chat = new OpenAIChatCompletionService(Model, new OpenAIClient(credential, ClientOptions(ai, http.CreateClient(ChatHttpClient))), loggers);
        Embeddings = EmbeddingModel is null
            ? null
            : new EmbeddingClient(EmbeddingModel, credential, ClientOptions(ai, http.CreateClient(EmbeddingHttpClient))).AsIEmbeddingGenerator();
    }

    public IChatCompletionService Chat { get; }

    /// <summary>Null without <c>Ai:EmbeddingModel</c>: related incidents are then ranked by words and services only.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; }
    public string Model { get; }
    public string? EmbeddingModel { get; }

    /// <summary>How long an answer may take from the model in all (<c>Ai:TimeoutSeconds</c>).</summary>
    public TimeSpan Timeout { get; }

    public static OpenAIPromptExecutionSettings Settings(int maxTokens, FunctionChoiceBehavior? functions = null) =>
        new() { MaxTokens = maxTokens, Temperature = 0.2, FunctionChoiceBehavior = functions };

    /// <summary>One request without functions; the model's text, empty when it wrote none.</summary>
    public async Task<string> WriteAsync(ChatHistory conversation, int maxTokens, CancellationToken cancellationToken)
    {
        var reply = await Chat.GetChatMessageContentAsync(conversation, Settings(maxTokens), cancellationToken: cancellationToken);
        return reply.Content?.Trim() ?? "";
    }

    public void Dispose() => Embeddings?.Dispose();

    private static OpenAIClientOptions ClientOptions(AiOptions ai, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),

            // The HttpClient's handler retries and times out; a second retry inside the SDK would multiply the waits.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(ai.Endpoint))
        {
            options.Endpoint = new Uri(ai.Endpoint);
        }

        return options;
    }
}
