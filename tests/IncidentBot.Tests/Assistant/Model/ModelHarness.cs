using IncidentBot.Incidents;
using System.Collections.Concurrent;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Model;
using IncidentBot.Configuration;
using IncidentBot.Storage;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>
/// The assistant of an <see cref="IncidentWorld"/> with a model engine in front of the deterministic one,
/// the model being a <see cref="FakeOpenAi"/> on loopback. Logs are captured to count what was said.
/// </summary>
public sealed class ModelHarness : IAsyncDisposable
{
    public const string ModelName = "fake-model";
    public const string EmbeddingModelName = "fake-embedding";

    private readonly ILoggerFactory loggers;
    private readonly ModelClients clients;

    private ModelHarness(FakeOpenAi fake, ILoggerFactory loggers, ModelClients clients, ModelEngine engine, IncidentAssistant assistant, LogCapture logs)
    {
        Fake = fake;
        this.loggers = loggers;
        this.clients = clients;
        Engine = engine;
        Assistant = assistant;
        Logs = logs;
    }

    public FakeOpenAi Fake { get; }

    /// <summary>The chat and embedding clients the engine uses, resilience included.</summary>
    public ModelClients Clients => clients;
    public ModelEngine Engine { get; }
    public IncidentAssistant Assistant { get; }
    public LogCapture Logs { get; }

    public static async Task<ModelHarness> StartAsync(
        IncidentWorld world, int timeoutSeconds = 10, bool embeddings = false, ModelResilienceOptions? resilience = null, string embeddingModel = EmbeddingModelName)
    {
        var fake = await FakeOpenAi.StartAsync();
        var logs = new LogCapture();
        var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var ai = new AiOptions
        {
            Provider = AiOptions.OpenAi,
            Endpoint = fake.Endpoint.ToString(),
            ApiKey = fake.ApiKey,
            Model = ModelName,
            EmbeddingModel = embeddings ? embeddingModel : null,
            TimeoutSeconds = timeoutSeconds,
        };
        var clients = ModelClients.Create(ai, TimeProvider.System, loggers, resilience);
        var services = world.Bot.App.Services;
        var deterministic = services.GetRequiredService<DeterministicEngine>();
        var engine = new ModelEngine(
            services.GetRequiredService<IncidentPlugin>(),
            services.GetRequiredService<IIncidentReader>(),
            services.GetRequiredService<IIncidentEmbeddingStore>(),
            deterministic,
            clients,
            services.GetRequiredService<PostmortemTemplateSource>(),
            world.Clock,
            loggers.CreateLogger<ModelEngine>());
        var assistant = new IncidentAssistant(
            [deterministic, engine],
            services.GetRequiredService<IIncidentReader>(),
            services.GetRequiredService<IncidentService>(),
            world.Clock,
            loggers.CreateLogger<IncidentAssistant>());
        return new ModelHarness(fake, loggers, clients, engine, assistant, logs);
    }

    /// <summary>Quick to fail and to open the circuit, for failure tests.</summary>
    public static ModelResilienceOptions Impatient(int timeoutSeconds = 2) => new()
    {
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(1),
        BreakDuration = TimeSpan.FromSeconds(1),
    };

    public async ValueTask DisposeAsync()
    {
        clients.Dispose();
        loggers.Dispose();
        await Fake.DisposeAsync();
    }
}

/// <summary>Keeps every log line written, with its level and category.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public IReadOnlyList<LogLine> AtLeast(LogLevel level) => [.. lines.Where(l => l.Level >= level)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, string Message);

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception)));
    }
}
