using System.Text.Json;
using IncidentBot.Incidents;
using Microsoft.SemanticKernel;

namespace IncidentBot.Assistant.Model;

/// <summary>What a function the model called could not do, in words it can act on.</summary>
internal sealed record FunctionError(string Message);

/// <summary>
/// The second wall behind the tools offered: only <see cref="IncidentPlugin.ReadOnlyFunctions"/> of the
/// <see cref="IncidentPlugin.Name"/> plugin run, whatever else a kernel may hold. A function that fails on what
/// the model passed (no such incident, a bad cursor, a wrong type) answers with a <see cref="FunctionError"/>
/// rather than an exception, so the model can correct itself and the log gets no error for the model's mistake.
/// </summary>
internal sealed class ReadOnlyFunctionFilter(ILogger<ReadOnlyFunctionFilter> logger) : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (!IsReadOnly(context.Function))
        {
            logger.LogWarning("Refused the function {Plugin}-{Function}: it is not one of the assistant's read-only functions",
                context.Function.PluginName, context.Function.Name);
            context.Result = new FunctionResult(context.Function, new FunctionError(
                $"{context.Function.Name} may not be run: the functions, all read-only, are {string.Join(", ", Offered)}. Nothing can be changed from here."));
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (e is IncidentNotFoundException or IncidentValidationException or JsonException or ArgumentException or FormatException or KernelException)
        {
            context.Result = new FunctionResult(context.Function, new FunctionError(ModelData.Clean(e.Message, 300)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "The {Function} function failed", context.Function.Name);
            context.Result = new FunctionResult(context.Function, new FunctionError("the function failed; try something else or answer from what you have."));
        }
    }

    private static IEnumerable<string> Offered => IncidentPlugin.ReadOnlyFunctions.Order(StringComparer.Ordinal).Select(PluginTools.ToolName);

    private static bool IsReadOnly(KernelFunction function) =>
        function.PluginName == IncidentPlugin.Name && IncidentPlugin.ReadOnlyFunctions.Contains(function.Name);
}
