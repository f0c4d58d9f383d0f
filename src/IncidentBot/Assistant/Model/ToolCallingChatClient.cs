using System.Text.Json;
using IncidentBot.Incidents;
using Microsoft.Extensions.AI;

namespace IncidentBot.Assistant.Model;

/// <summary>Bounds of one conversation with the model.</summary>
internal sealed record ToolLoopLimits
{
    /// <summary>Calls to the model per answer; the last is offered no tools, so it has to answer.</summary>
    public int MaxRounds { get; init; } = 4;

    /// <summary>After this many rounds in a row in which every call failed, the model gets no more tools.</summary>
    public int MaxFailedRounds { get; init; } = 2;
    public int MaxCallsPerRound { get; init; } = 6;
    public int MaxResultChars { get; init; } = PluginTools.MaxResultChars + 1_000;
}

/// <summary>
/// Our tool loop (what <c>FunctionInvokingChatClient</c> does, bounded): call the model; run the functions
/// it asks for, only from the given read-only set; append their results; repeat. A function it names that
/// does not exist, fails or gets bad arguments answers with an error the model can read.
/// </summary>
internal sealed class ToolCallingChatClient(IChatClient inner, IReadOnlyList<AIFunction> functions, ToolLoopLimits limits, ILogger logger)
    : DelegatingChatClient(inner)
{
    private readonly Dictionary<string, AIFunction> byName = functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages.ToList();
        var usage = new UsageDetails();
        var failedRounds = 0;
        for (var round = 1; ; round++)
        {
            var last = round >= limits.MaxRounds || failedRounds >= limits.MaxFailedRounds;
            var response = await base.GetResponseAsync(conversation, Offer(options, tools: !last), cancellationToken);
            AddUsage(usage, response.Usage);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0 || last)
            {
                response.Usage = usage;
                return response;
            }

            conversation.AddRange(response.Messages);
            var results = new List<AIContent>();
            var failures = 0;
            for (var i = 0; i < calls.Count; i++)
            {
                var (result, failed) = i < limits.MaxCallsPerRound
                    ? await InvokeAsync(calls[i], cancellationToken)
                    : ($"Error: not run; at most {limits.MaxCallsPerRound} function calls are run per turn.", true);
                failures += failed ? 1 : 0;
                results.Add(new FunctionResultContent(calls[i].CallId, Bounded(result)));
            }

            conversation.Add(new ChatMessage(ChatRole.Tool, results));
            failedRounds = failures == calls.Count ? failedRounds + 1 : 0;
        }
    }

    private ChatOptions Offer(ChatOptions? options, bool tools)
    {
        var offered = options?.Clone() ?? new ChatOptions();
        offered.Tools = tools ? [.. functions] : null;
        offered.ToolMode = tools ? ChatToolMode.Auto : ChatToolMode.None;
        return offered;
    }

    private async Task<(string Result, bool Failed)> InvokeAsync(FunctionCallContent call, CancellationToken cancellationToken)
    {
        if (!byName.TryGetValue(call.Name, out var function))
        {
            logger.LogInformation("The model asked for a function that does not exist: {Function}", ModelData.Clean(call.Name, 80));
            return ($"Error: there is no function named '{ModelData.Clean(call.Name, 80)}'. The functions, all read-only, are: "
                + $"{string.Join(", ", byName.Keys)}. Nothing can be changed from here.", true);
        }

        if (call.Exception is not null)
        {
            return ("Error: the arguments were not a JSON object.", true);
        }

        try
        {
            var result = await function.InvokeAsync(new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()), cancellationToken);
            return (result as string ?? PluginTools.Render(result), false);
        }
        catch (Exception e) when (e is IncidentNotFoundException or IncidentValidationException or JsonException or ArgumentException or FormatException)
        {
            return ($"Error: {ModelData.Clean(e.Message, 300)}", true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "The {Function} function failed", call.Name);
            return ("Error: the function failed; try something else or answer from what you have.", true);
        }
    }

    private string Bounded(string result) =>
        result.Length <= limits.MaxResultChars ? result : result[..limits.MaxResultChars] + "\n(… cut; ask for less)";

    private static void AddUsage(UsageDetails total, UsageDetails? usage)
    {
        if (usage is not null)
        {
            total.Add(usage);
        }
    }
}
