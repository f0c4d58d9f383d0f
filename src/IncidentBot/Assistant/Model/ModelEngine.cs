using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.SemanticKernel;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The assistant with a language model: the model writes the prose from the incident data it is given or
/// looks up through the kernel's read-only <see cref="IncidentPlugin"/> functions, and every citation it writes is checked against
/// the store. Any failure (error, timeout, rate limit, open circuit, empty answer) surfaces as
/// <see cref="ModelUnavailableException"/>, and <see cref="IncidentAssistant"/> answers with the
/// deterministic engine instead.
/// </summary>
public sealed partial class ModelEngine : IAssistantEngine
{
    private const int AnswerTokens = 900;

    private static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(500);

    private readonly IncidentPlugin plugin;
    private readonly IIncidentReader incidents;
    private readonly DeterministicEngine deterministic;
    private readonly ModelClients clients;
    private readonly PostmortemTemplateSource templates;
    private readonly TimeProvider time;
    private readonly ILogger<ModelEngine> logger;
    private readonly Kernel kernel;
    private readonly FunctionCallingLimits functionLimits = new();
    private readonly TimelineCondenser condenser;
    private readonly CitationChecker checker;
    private readonly SemanticRanker? ranker;

    public ModelEngine(
        IncidentPlugin plugin,
        IIncidentReader incidents,
        IIncidentEmbeddingStore embeddings,
        DeterministicEngine deterministic,
        ModelClients clients,
        Kernel kernel,
        PostmortemTemplateSource templates,
        TimeProvider time,
        ILogger<ModelEngine> logger)
    {
        this.plugin = plugin;
        this.incidents = incidents;
        this.deterministic = deterministic;
        this.clients = clients;
        this.templates = templates;
        this.time = time;
        this.logger = logger;
        this.kernel = kernel;
        condenser = new TimelineCondenser(plugin, clients, time);
        checker = new CitationChecker(incidents);
        ranker = clients.Embeddings is { } generator
            ? new SemanticRanker(generator, clients.EmbeddingModel!, embeddings, plugin, time, logger)
            : null;
    }

    public string Name => AssistantEngines.Model;

    /// <summary>
    /// Runs one answer within <see cref="ModelClients.Timeout"/> (and a moment's grace) in all. A missing or invalid incident is reported
    /// as such (every engine would say the same); anything else the model did wrong becomes <see cref="ModelUnavailableException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> answer, CancellationToken cancellationToken)
    {
        // A little longer than one call's own timeout, so a single failing call reports its own failure (a 429, a 500).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(clients.Timeout + AnswerGrace);
        try
        {
            return await answer(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is not (IncidentNotFoundException or IncidentValidationException or ModelUnavailableException))
        {
            // Not a warning: the circuit breaker says once when the model keeps failing.
            logger.LogDebug(e, "The model gave no answer");
            throw new ModelUnavailableException(ModelUnavailableException.Describe(e, clients.Timeout), e);
        }
    }

    /// <summary>One request without functions (the data is in it); the model's text, never empty.</summary>
    private async Task<string> WriteAsync(string request, int maxTokens, CancellationToken cancellationToken) =>
        NotEmpty(await clients.WriteAsync(ModelPrompts.Conversation(time.GetUtcNow(), request), maxTokens, cancellationToken));

    private static string NotEmpty(string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new ModelUnavailableException("gave an empty answer") : text.Trim();

    /// <summary>Writes the lines of the model's text, each citation replaced by its numbered source or flagged.</summary>
    private static void WriteChecked(AnswerWriter writer, CitationVerdicts verdicts, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            writer.Line(verdicts.Mark(writer, line));
        }
    }

    /// <summary>Says how many of the model's citations pointed at nothing, when any did.</summary>
    private static void WriteFlagged(AnswerWriter writer, CitationVerdicts verdicts, string text)
    {
        var flagged = verdicts.CountFlagged(text);
        if (flagged > 0)
        {
            writer.Line().Line(flagged == 1
                ? $"_One source the model cited does not exist and was removed (where it says “source not found”); check that statement._"
                : $"_{flagged} sources the model cited do not exist and were removed (where it says “source not found”); check those statements._");
        }
    }

    private string ModelNote => $"written by the model ({clients.Model}) from the stored data; each statement links its source";
}
