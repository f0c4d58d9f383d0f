using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (random port): <c>POST /v1/chat/completions</c> answers with
/// scripted replies (text, tool calls) or scripted failures (401, 429 with Retry-After, 500, a hang), and
/// <c>POST /v1/embeddings</c> with vectors from <see cref="Embed"/>. Like the real API, it refuses (400) a
/// conversation in which a tool call has no tool message answering it. It records every request, so tests can
/// read what the model was sent: the system prompt, the tools offered, the tool results.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly Queue<FakeChatReply> replies = new();
    private readonly List<FakeChatRequest> chatRequests = [];
    private readonly List<FakeEmbeddingRequest> embeddingRequests = [];
    private readonly CancellationTokenSource stopping = new();
    private int ids;

    private FakeOpenAi(WebApplication app, string? apiKey)
    {
        this.app = app;
        ApiKey = apiKey;
    }

    /// <summary>The key requests must bear; null accepts any (a keyless server such as Ollama).</summary>
    public string? ApiKey { get; }

    /// <summary>What to configure as <c>Ai:Endpoint</c>: http://127.0.0.1:{port}/v1</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Answers chat requests once the scripted replies are used up; by default a short plain answer.</summary>
    public Func<FakeChatRequest, FakeChatReply> Responder { get; set; } = _ => FakeChatReply.Text("I found nothing to say.");

    /// <summary>Makes the vector of one input; by default words hashed into 64 dimensions, so shared words mean similar vectors.</summary>
    public Func<string, float[]> Embed { get; set; } = BagOfWords;

    /// <summary>When set, embedding requests get this failure instead.</summary>
    public FakeChatReply? EmbeddingFailure { get; set; }

    public static async Task<FakeOpenAi> StartAsync(string? apiKey = "sk-fake-0123456789")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeOpenAi(builder.Build(), apiKey);
        fake.app.MapPost("/v1/chat/completions", fake.HandleChatAsync);
        fake.app.MapPost("/v1/embeddings", fake.HandleEmbeddingsAsync);
        await fake.app.StartAsync();
        var address = fake.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return fake;
    }

    public IReadOnlyList<FakeChatRequest> ChatRequests
    {
        get
        {
            lock (gate)
            {
                return [.. chatRequests];
            }
        }
    }

    public IReadOnlyList<FakeEmbeddingRequest> EmbeddingRequests
    {
        get
        {
            lock (gate)
            {
                return [.. embeddingRequests];
            }
        }
    }

    /// <summary>The next chat requests get these replies, in order.</summary>
    public void Enqueue(params FakeChatReply[] scripted)
    {
        lock (gate)
        {
            foreach (var reply in scripted)
            {
                replies.Enqueue(reply);
            }
        }
    }

    /// <summary>Forgets the requests and the replies not yet given.</summary>
    public void Reset()
    {
        lock (gate)
        {
            replies.Clear();
            chatRequests.Clear();
            embeddingRequests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A hanging request would otherwise hold the server's shutdown.
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task HandleChatAsync(HttpContext context)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var request = new FakeChatRequest(body.RootElement.Clone(), context.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow);
        FakeChatReply reply;
        lock (gate)
        {
            chatRequests.Add(request);
            reply = replies.Count > 0 ? replies.Dequeue() : Responder(request);
        }

        if (!IsAuthorized(context))
        {
            reply = FakeChatReply.Unauthorized();
        }
        else if (request.UnansweredToolCalls.Count > 0)
        {
            reply = FakeChatReply.BadRequest(
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
                + $"The following tool_call_ids did not have response messages: {string.Join(", ", request.UnansweredToolCalls)}");
        }

        await WriteAsync(context, reply, request.Model);
    }

    private async Task HandleEmbeddingsAsync(HttpContext context)
    {
        var body = (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)).RootElement.Clone();
        var inputs = body.GetProperty("input") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [body.GetProperty("input").GetString() ?? ""];
        lock (gate)
        {
            embeddingRequests.Add(new FakeEmbeddingRequest(body, inputs));
        }

        if (!IsAuthorized(context) || EmbeddingFailure is not null)
        {
            await WriteAsync(context, IsAuthorized(context) ? EmbeddingFailure! : FakeChatReply.Unauthorized(), "");
            return;
        }

        var base64 = body.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var data = new JsonArray([.. inputs.Select((input, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(Embed(input).AsSpan())) : new JsonArray([.. Embed(input).Select(v => (JsonNode)v)]),
        })]);
        await Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body.GetProperty("model").GetString(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count, ["total_tokens"] = inputs.Count },
        }).ExecuteAsync(context);
    }

    private bool IsAuthorized(HttpContext context) =>
        ApiKey is null || context.Request.Headers.Authorization.ToString() == $"Bearer {ApiKey}";

    private async Task WriteAsync(HttpContext context, FakeChatReply reply, string model)
    {
        switch (reply)
        {
            case FakeChatReply.HangReply:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                return;
            case FakeChatReply.FailureReply failure:
                if (failure.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                await Results.Json(
                    new JsonObject { ["error"] = new JsonObject { ["message"] = failure.Message, ["type"] = failure.Type, ["param"] = null, ["code"] = failure.Code } },
                    statusCode: failure.Status).ExecuteAsync(context);
                return;
            default:
                await Results.Json(Completion(reply, model)).ExecuteAsync(context);
                return;
        }
    }

    private JsonObject Completion(FakeChatReply reply, string model)
    {
        var message = new JsonObject { ["role"] = "assistant" };
        if (reply is FakeChatReply.ToolCallsReply calls)
        {
            message["content"] = null;
            message["tool_calls"] = new JsonArray([.. calls.Requested.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{Interlocked.Increment(ref ids)}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            })]);
        }
        else
        {
            message["content"] = ((FakeChatReply.TextReply)reply).Content;
        }

        return new JsonObject
        {
            ["id"] = $"chatcmpl-{Interlocked.Increment(ref ids)}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = reply is FakeChatReply.ToolCallsReply ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
    }

    /// <summary>Words hashed into 64 dimensions, normalised: texts sharing words point the same way.</summary>
    public static float[] BagOfWords(string text)
    {
        var vector = new float[64];
        foreach (var word in text.ToLowerInvariant().Split((char[])[' ', ',', '.', ':', ';', '\n', '-', '(', ')', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            vector[(int)((uint)StableHash(word) % 64)] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : [.. vector.Select(v => v / norm)];
    }

    private static int StableHash(string word)
    {
        var hash = 17;
        foreach (var c in word)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}

/// <summary>What the fake answers to one chat request.</summary>
public abstract record FakeChatReply
{
    public static FakeChatReply Text(string content) => new TextReply(content);

    /// <summary>The model asks for one function; <paramref name="arguments"/> is serialised to the JSON string the API sends.</summary>
    public static FakeChatReply Call(string name, object? arguments = null) => Calls((name, arguments));

    public static FakeChatReply Calls(params (string Name, object? Arguments)[] calls) =>
        new ToolCallsReply([.. calls.Select(c => new FakeToolCall(c.Name, c.Arguments as string ?? JsonSerializer.Serialize(c.Arguments ?? new { })))]);

    public static FakeChatReply Unauthorized() =>
        new FailureReply(401, "Incorrect API key provided: sk-fake***.", "invalid_request_error", "invalid_api_key", null);

    /// <summary>What the API answers to a malformed conversation.</summary>
    public static FakeChatReply BadRequest(string message) =>
        new FailureReply(400, message, "invalid_request_error", null, null);

    public static FakeChatReply RateLimited(int retryAfterSeconds = 1) =>
        new FailureReply(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded", retryAfterSeconds);

    public static FakeChatReply ServerError() =>
        new FailureReply(500, "The server had an error while processing your request.", "server_error", null, null);

    /// <summary>Never answers (until the client gives up or the fake stops).</summary>
    public static FakeChatReply Hang() => new HangReply();

    public sealed record TextReply(string Content) : FakeChatReply;

    public sealed record ToolCallsReply(IReadOnlyList<FakeToolCall> Requested) : FakeChatReply;

    public sealed record FailureReply(int Status, string Message, string Type, string? Code, int? RetryAfterSeconds) : FakeChatReply;

    public sealed record HangReply : FakeChatReply;
}

public sealed record FakeToolCall(string Name, string Arguments);

/// <summary>One chat completions request as the fake received it.</summary>
public sealed record FakeChatRequest(JsonElement Body, string Authorization, DateTimeOffset ReceivedAt)
{
    public string Model => Body.GetProperty("model").GetString() ?? "";

    public IReadOnlyList<JsonElement> Messages => [.. Body.GetProperty("messages").EnumerateArray()];

    public string SystemPrompt => string.Join("\n", ContentsOf("system"));

    /// <summary>What the user messages said (the application's requests to the model).</summary>
    public string UserText => string.Join("\n", ContentsOf("user"));

    /// <summary>The function results sent back to the model, in order.</summary>
    public IReadOnlyList<string> ToolResults => ContentsOf("tool");

    /// <summary>Everything the model was sent, as one text.</summary>
    public string AllText => string.Join("\n", Messages.Select(Content));

    /// <summary>The names of the functions offered; empty when none were.</summary>
    public IReadOnlyList<string> ToolNames =>
        Body.TryGetProperty("tools", out var tools) ? [.. tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString() ?? "")] : [];

    public JsonElement? Tool(string name) =>
        Body.TryGetProperty("tools", out var tools)
            ? tools.EnumerateArray().Select(t => t.GetProperty("function")).FirstOrDefault(f => f.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found ? found : null
            : null;

    /// <summary>
    /// Ids of function calls the conversation asked for with no tool message answering them before the next
    /// message of another role; the real API refuses such a request with a 400.
    /// </summary>
    public IReadOnlyList<string> UnansweredToolCalls
    {
        get
        {
            var open = new List<string>();
            var unanswered = new List<string>();
            foreach (var message in Messages)
            {
                var role = message.GetProperty("role").GetString();
                if (role == "tool")
                {
                    open.Remove(message.TryGetProperty("tool_call_id", out var id) ? id.GetString() ?? "" : "");
                    continue;
                }

                unanswered.AddRange(open);
                open.Clear();
                if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    open.AddRange(calls.EnumerateArray().Select(call => call.GetProperty("id").GetString() ?? ""));
                }
            }

            return [.. unanswered, .. open];
        }
    }

    public int? MaxTokens =>
        Body.TryGetProperty("max_completion_tokens", out var max) || Body.TryGetProperty("max_tokens", out max) ? max.GetInt32() : null;

    private List<string> ContentsOf(string role) =>
        [.. Messages.Where(m => m.GetProperty("role").GetString() == role).Select(Content)];

    private static string Content(JsonElement message) =>
        !message.TryGetProperty("content", out var content) ? ""
        : content.ValueKind == JsonValueKind.String ? content.GetString() ?? ""
        : content.ValueKind == JsonValueKind.Array ? string.Join("", content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""))
        : "";
}

/// <summary>One embeddings request: the texts to embed.</summary>
public sealed record FakeEmbeddingRequest(JsonElement Body, IReadOnlyList<string> Inputs);
