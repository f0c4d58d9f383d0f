using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace IncidentBot.Assistant.Model;

/// <summary>Bounds of one answer's function calling (Semantic Kernel's own bound is 128 rounds).</summary>
internal sealed record FunctionCallingLimits
{
    /// <summary>Calls to the model per answer; the last is offered no functions, so it has to answer.</summary>
    public int MaxRounds { get; init; } = 4;

    /// <summary>After this many rounds in a row in which every call failed, the model gets no more functions.</summary>
    public int MaxFailedRounds { get; init; } = 2;
    public int MaxCallsPerRound { get; init; } = 6;
    public int MaxResultChars { get; init; } = PluginTools.MaxResultChars + 1_000;
}

/// <summary>
/// The policy of one answer's automatic function calling, one instance per answer: at most
/// <see cref="FunctionCallingLimits.MaxCallsPerRound"/> calls run per round, each result reaches the model as
/// bounded text (<see cref="PluginTools.Render"/>), and the loop ends (<c>Terminate</c>) once the next call to the
/// model would be the last round or the model has failed too often; <see cref="ModelWriter"/> then asks once more
/// without functions. A round in which the model names only functions that do not exist never reaches a filter
/// (Semantic Kernel answers those itself); it counts as failed when the next round does.
/// </summary>
internal sealed class FunctionRoundFilter(FunctionCallingLimits limits) : IAutoFunctionInvocationFilter
{
    private int round = -1;
    private int failedInRound;
    private int failedRounds;

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        StartRound(context);
        object? result;
        if (context.FunctionSequenceIndex >= limits.MaxCallsPerRound)
        {
            result = new FunctionError($"not run; at most {limits.MaxCallsPerRound} function calls are run per turn.");
        }
        else
        {
            await next(context);
            result = context.Result.GetValue<object>();
        }

        failedInRound += result is FunctionError ? 1 : 0;
        context.Result = new FunctionResult(context.Result, Bounded(PluginTools.Render(result)));
        if (context.FunctionSequenceIndex == LastRunnable(context))
        {
            EndRound(context);
        }
    }

    /// <summary>
    /// Gives every call of the last assistant message a result: when the loop ends, calls after the last one that
    /// could run have none, and OpenAI-compatible servers refuse a conversation with an unanswered call.
    /// </summary>
    public static void AnswerOpenCalls(ChatHistory history)
    {
        var answered = history.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet();
        var open = history.LastOrDefault(m => m.Role == AuthorRole.Assistant)?.Items.OfType<FunctionCallContent>()
            .Where(call => !answered.Contains(call.Id)).ToList() ?? [];
        foreach (var call in open)
        {
            history.Add(new FunctionResultContent(call, "Error: not run; no more functions are run for this answer.").ToChatMessage());
        }
    }

    private void StartRound(AutoFunctionInvocationContext context)
    {
        if (context.RequestSequenceIndex == round)
        {
            return;
        }

        // Rounds the filter never saw had only calls of functions that do not exist: failed rounds.
        failedRounds += Math.Max(0, context.RequestSequenceIndex - round - 1);
        round = context.RequestSequenceIndex;
        failedInRound = 0;
    }

    private void EndRound(AutoFunctionInvocationContext context)
    {
        var notRunnable = context.FunctionCount - Runnable(context).Count();
        failedRounds = failedInRound + notRunnable == context.FunctionCount ? failedRounds + 1 : 0;
        context.Terminate = round + 2 >= limits.MaxRounds || failedRounds >= limits.MaxFailedRounds;
    }

    /// <summary>The index of the round's last call of a function the kernel has: the last this filter sees.</summary>
    private static int LastRunnable(AutoFunctionInvocationContext context) => Runnable(context).Select(c => c.Index).DefaultIfEmpty(-1).Max();

    private static IEnumerable<(FunctionCallContent Call, int Index)> Runnable(AutoFunctionInvocationContext context) =>
        FunctionCallContent.GetFunctionCalls(context.ChatMessageContent)
            .Select((call, index) => (call, index))
            .Where(c => c.call.Exception is null && context.Kernel.Plugins.TryGetFunction(c.call.PluginName, c.call.FunctionName, out _));

    private string Bounded(string result) =>
        result.Length <= limits.MaxResultChars ? result : result[..limits.MaxResultChars] + "\n(… cut; ask for less)";
}
