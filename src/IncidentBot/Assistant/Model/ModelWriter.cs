using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// What every feature's model step shares: one answer run within <see cref="ModelClients.Timeout"/>, the model
/// asked with the data in the request or through the kernel's read-only <see cref="IncidentPlugin"/> functions,
/// the timeline read for it (<see cref="TimelineCondenser"/>), and every citation it writes checked against the
/// store. Any failure (error, timeout, rate limit, open circuit, empty answer) surfaces as
/// <see cref="ModelUnavailableException"/>, and the feature's deterministic core answers instead.
/// </summary>
public sealed class ModelWriter
{
    private const int AnswerTokens = 900;

    private static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(500);

    private readonly Kernel kernel;
    private readonly TimeProvider time;
    private readonly ILogger<ModelWriter> logger;
    private readonly FunctionCallingLimits functionLimits = new();
    private readonly CitationChecker checker;

    public ModelWriter(ModelClients clients, Kernel kernel, IncidentPlugin plugin, IIncidentReader incidents, TimeProvider time, ILogger<ModelWriter> logger)
    {
        Clients = clients;
        this.kernel = kernel;
        this.time = time;
        this.logger = logger;
        Condenser = new TimelineCondenser(plugin, clients, time);
        checker = new CitationChecker(incidents);
    }

    public ModelClients Clients { get; }

    internal TimelineCondenser Condenser { get; }

    /// <summary>How an answer says it was written, after "_" and before its own details.</summary>
    public string Note => $"written by the model ({Clients.Model}) from the stored data; each statement links its source";

    /// <summary>
    /// Runs one answer within <see cref="ModelClients.Timeout"/> (and a moment's grace) in all. A missing or invalid incident is reported
    /// as such (every step would say the same); anything else the model did wrong becomes <see cref="ModelUnavailableException"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> answer, CancellationToken cancellationToken)
    {
        // A little longer than one call's own timeout, so a single failing call reports its own failure (a 429, a 500).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Clients.Timeout + AnswerGrace);
        try
        {
            return await answer(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is not (IncidentNotFoundException or IncidentValidationException or ModelUnavailableException))
        {
            // Not a warning: the circuit breaker says once when the model keeps failing.
            logger.LogDebug(e, "The model gave no answer");
            throw new ModelUnavailableException(ModelUnavailableException.Describe(e, Clients.Timeout), e);
        }
    }

    /// <summary>One request without functions (the data is in it); the model's text, never empty.</summary>
    public async Task<string> WriteAsync(string request, int maxTokens, CancellationToken cancellationToken) =>
        NotEmpty(await Clients.WriteAsync(ModelPrompts.Conversation(time.GetUtcNow(), request), maxTokens, cancellationToken));

    /// <summary>
    /// The model looks up what it needs through the read-only functions, then answers; never empty. Semantic Kernel runs
    /// the functions the model asks for (automatic function calling), bounded by a <see cref="FunctionRoundFilter"/> of this
    /// answer's own. When the filter ends the calling, the model is asked once more with no functions offered, so it has to
    /// answer from what it has read.
    /// </summary>
    public async Task<string> AnswerWithFunctionsAsync(string request, CancellationToken cancellationToken)
    {
        var conversation = ModelPrompts.Conversation(time.GetUtcNow(), request);
        var answering = kernel.Clone();
        answering.AutoFunctionInvocationFilters.Add(new FunctionRoundFilter(functionLimits));
        var reply = await Clients.Chat.GetChatMessageContentAsync(
            conversation, ModelClients.Settings(AnswerTokens, FunctionChoiceBehavior.Auto()), answering, cancellationToken);
        if (reply.Role != AuthorRole.Tool)
        {
            return NotEmpty(reply.Content);
        }

        FunctionRoundFilter.AnswerOpenCalls(conversation);
        return NotEmpty(await Clients.WriteAsync(conversation, AnswerTokens, cancellationToken));
    }

    internal Task<CitationVerdicts> CheckAsync(string text, CancellationToken cancellationToken) => checker.CheckAsync(text, cancellationToken);

    /// <summary>Writes the lines of the model's text, each citation replaced by its numbered source or flagged.</summary>
    internal static void WriteChecked(AnswerWriter writer, CitationVerdicts verdicts, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            writer.Line(verdicts.Mark(writer, line));
        }
    }

    /// <summary>
    /// Writes one section of the model's answer under its heading; its bullets, with their checked sources, are returned.
    /// A section with nothing to say gets <paramref name="whenEmpty"/>, or is left out when that is null.
    /// </summary>
    internal static IReadOnlyList<CitedLine> WriteSection(AnswerWriter writer, CitationVerdicts verdicts, string heading, List<string>? lines, string? whenEmpty)
    {
        var bullets = (lines ?? [])
            .Select(ModelSections.BulletText)
            .OfType<string>()
            .Where(text => !ModelSections.SaysNothing(CitationVerdicts.Strip(text)))
            .Select(text => new CitedLine(CitationVerdicts.Strip(text), verdicts.Sources(text)))
            .ToList();
        if (lines is null || lines.Count == 0 || (whenEmpty is null && bullets.Count == 0))
        {
            if (whenEmpty is not null)
            {
                writer.Heading(heading).Line($"- {whenEmpty}");
            }

            return [];
        }

        writer.Heading(heading);
        WriteChecked(writer, verdicts, lines);
        return bullets;
    }

    /// <summary>Says how many of the model's citations pointed at nothing, when any did.</summary>
    internal static void WriteFlagged(AnswerWriter writer, CitationVerdicts verdicts, string text)
    {
        var flagged = verdicts.CountFlagged(text);
        if (flagged > 0)
        {
            writer.Line().Line(flagged == 1
                ? $"_One source the model cited does not exist and was removed (where it says “source not found”); check that statement._"
                : $"_{flagged} sources the model cited do not exist and were removed (where it says “source not found”); check those statements._");
        }
    }

    internal static IEnumerable<string> Lines(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    private static string NotEmpty(string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new ModelUnavailableException("gave an empty answer") : text.Trim();
}
