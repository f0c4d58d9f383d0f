using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Assistant.Model;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Assistant.Questions;
using IncidentBot.Assistant.Related;
using IncidentBot.Assistant.Summary;
using IncidentBot.Configuration;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using IncidentBot.Testing;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>
/// The assistant of an <see cref="IncidentWorld"/> with each feature's model step in front of its deterministic core,
/// the model being a <see cref="FakeOpenAi"/> on loopback. Logs are captured to count what was said.
/// </summary>
public sealed class ModelHarness : IAsyncDisposable
{
    public const string ModelName = "fake-model";
    public const string EmbeddingModelName = "fake-embedding";

    private readonly ServiceProvider services;

    private ModelHarness(FakeOpenAi fake, ServiceProvider services, IncidentAssistant assistant, LogCapture logs)
    {
        Fake = fake;
        this.services = services;
        Assistant = assistant;
        Logs = logs;
    }

    public FakeOpenAi Fake { get; }

    /// <summary>The chat and embedding clients the model steps use, resilience included.</summary>
    public ModelClients Clients => services.GetRequiredService<ModelClients>();
    public IncidentAssistant Assistant { get; }
    public LogCapture Logs { get; }

    /// <param name="configure">Adds to the model's services as the application registers them (another plugin, say).</param>
    public static async Task<ModelHarness> StartAsync(
        IncidentWorld world,
        int timeoutSeconds = 10,
        bool embeddings = false,
        ModelResilienceOptions? resilience = null,
        string embeddingModel = EmbeddingModelName,
        TimeProvider? modelTime = null,
        Action<IServiceCollection>? configure = null)
    {
        var fake = await FakeOpenAi.StartAsync();
        var logs = new LogCapture();
        var app = world.Bot.App.Services;
        var collection = new ServiceCollection()
            .AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton(modelTime ?? TimeProvider.System)
            .AddSingleton(Options.Create(new AiOptions
            {
                Provider = AiOptions.OpenAi,
                Endpoint = fake.Endpoint.ToString(),
                ApiKey = fake.ApiKey,
                Model = ModelName,
                EmbeddingModel = embeddings ? embeddingModel : null,
                TimeoutSeconds = timeoutSeconds,
            }))
            .AddSingleton(Options.Create(new AssistantOptions { LocalEmbeddings = false }))
            .AddSingleton(app.GetRequiredService<IncidentPlugin>())
            .AddModel(resilience);
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var plugin = app.GetRequiredService<IncidentPlugin>();
        var reader = app.GetRequiredService<IIncidentReader>();
        var templates = app.GetRequiredService<PostmortemTemplateSource>();
        var model = new ModelWriter(
            services.GetRequiredService<ModelClients>(), services.GetRequiredService<Kernel>(), plugin, reader, world.Clock, loggers.CreateLogger<ModelWriter>());
        var vectors = app.GetRequiredService<IIncidentEmbeddingStore>();
        var deterministicRelated = app.GetRequiredService<DeterministicRelated>();
        var rankedWithTheModel = new DeterministicRelated(
            plugin, world.Clock, IncidentEmbeddingModel.Create(services), vectors, reader, loggers.CreateLogger<DeterministicRelated>());
        var deterministicQuestions = app.GetRequiredService<DeterministicQuestions>();
        var assistant = new IncidentAssistant(
            Steps<ISummaryStep>(app.GetRequiredService<DeterministicSummary>(), new ModelSummary(model, world.Clock)),
            Steps<IRelatedStep>(deterministicRelated, new ModelRelated(rankedWithTheModel, model)),
            Steps<IQuestionStep>(deterministicQuestions, new ModelQuestions(model, reader, deterministicQuestions)),
            Steps<IPostmortemStep>(app.GetRequiredService<DeterministicPostmortem>(), new ModelPostmortem(model, templates, world.Clock)),
            Steps<ICatchupStep>(app.GetRequiredService<DeterministicCatchup>(), new ModelCatchup(model, world.Clock)),
            reader,
            app.GetRequiredService<IncidentService>(),
            world.Clock);
        return new ModelHarness(fake, services, assistant, logs);

        FeatureSteps<TStep> Steps<TStep>(params TStep[] steps)
            where TStep : IAssistantStep =>
            new(steps, app.GetRequiredService<IncidentBotMetrics>(), world.Clock, loggers.CreateLogger<FeatureSteps<TStep>>());
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
        await services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
