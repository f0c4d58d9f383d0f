using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using OpenAiFinishReason = OpenAI.Chat.ChatFinishReason;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// <see cref="IChatClient"/> over the OpenAI SDK's <see cref="ChatClient"/>, so any OpenAI-compatible chat
/// completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio) serves the assistant. Only what the
/// assistant uses is translated: text, function tools, tool calls and their results, the output-token cap.
/// </summary>
internal sealed class OpenAiChatClient(ChatClient client) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var completion = (await client.CompleteChatAsync(messages.SelectMany(ToOpenAi).ToList(), ToOpenAi(options), cancellationToken)).Value;
        return FromOpenAi(completion);
    }

    /// <summary>The assistant answers in one piece; a stream is that one response cut into updates.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AiChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClient) ? client
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static IEnumerable<OpenAiChatMessage> ToOpenAi(AiChatMessage message)
    {
        if (message.Role == ChatRole.System)
        {
            yield return new SystemChatMessage(message.Text);
        }
        else if (message.Role == ChatRole.User)
        {
            yield return new UserChatMessage(message.Text);
        }
        else if (message.Role == ChatRole.Assistant)
        {
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            yield return calls.Count == 0
                ? new AssistantChatMessage(message.Text)
                : new AssistantChatMessage(calls.Select(call => ChatToolCall.CreateFunctionToolCall(
                    call.CallId, call.Name, BinaryData.FromString(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>())))));
        }
        else if (message.Role == ChatRole.Tool)
        {
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                yield return new ToolChatMessage(result.CallId, result.Result as string ?? JsonSerializer.Serialize(result.Result));
            }
        }
    }

    private static ChatCompletionOptions ToOpenAi(ChatOptions? options)
    {
        var completion = new ChatCompletionOptions { MaxOutputTokenCount = options?.MaxOutputTokens, Temperature = options?.Temperature };
        if (options?.ToolMode is NoneChatToolMode)
        {
            return completion;
        }

        foreach (var function in options?.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            completion.Tools.Add(ChatTool.CreateFunctionTool(function.Name, function.Description, BinaryData.FromString(function.JsonSchema.GetRawText())));
        }

        return completion;
    }

    private static ChatResponse FromOpenAi(ChatCompletion completion)
    {
        var contents = new List<AIContent>();
        contents.AddRange(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => new TextContent(part.Text)));
        contents.AddRange(completion.ToolCalls.Select(ToFunctionCall));
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = completion.Model,
            ResponseId = completion.Id,
            FinishReason = completion.FinishReason switch
            {
                OpenAiFinishReason.Length => AiFinishReason.Length,
                OpenAiFinishReason.ToolCalls or OpenAiFinishReason.FunctionCall => AiFinishReason.ToolCalls,
                OpenAiFinishReason.ContentFilter => AiFinishReason.ContentFilter,
                _ => AiFinishReason.Stop,
            },
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
        };
    }

    /// <summary>Arguments that are not a JSON object become a call with an exception, which the tool loop reports back to the model.</summary>
    private static FunctionCallContent ToFunctionCall(ChatToolCall call)
    {
        try
        {
            var arguments = call.FunctionArguments.ToMemory().IsEmpty
                ? []
                : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(call.FunctionArguments.ToString()) ?? [];
            return new FunctionCallContent(call.Id, call.FunctionName, arguments.ToDictionary(a => a.Key, a => (object?)a.Value));
        }
        catch (JsonException e)
        {
            return new FunctionCallContent(call.Id, call.FunctionName) { Exception = e };
        }
    }
}
