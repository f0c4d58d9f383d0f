using System.Collections.Concurrent;
using System.Reflection;
using System.Diagnostics.Metrics;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Assistant.Model;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Assistant.Questions;
using IncidentBot.Assistant.Related;
using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentBot.Tests.Assistant;

public sealed class EngineFallbackTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task AFailingEngineIsReplacedByTheDeterministicOneAndTheAnswerSaysSo()
    {
        var assistant = AssistantWith(new FailingModel());

        var summary = await assistant.SummarizeAsync(world.Checkout);
        var answer = await assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Deterministic, summary.Engine);
        Assert.Contains("The model engine did not answer (TimeoutException)", summary.FallbackReason);
        Assert.Equal(3, answer.Count);
        Assert.NotNull(answer.FallbackReason);
    }

    [Fact]
    public async Task AFallbackIsCountedAgainstItsFeatureAndTheEngineThatDidNotAnswer()
    {
        var meters = world.Bot.App.Services.GetRequiredService<IMeterFactory>();
        using var fallbacks = new MetricCollector<long>(meters, IncidentBotMetrics.MeterName, "incidentbot.assistant.fallbacks");
        using var answers = new MetricCollector<long>(meters, IncidentBotMetrics.MeterName, "incidentbot.assistant.answers");

        await AssistantWith(new FailingModel(new ModelUnavailableException("was rate-limited (HTTP 429)"))).SummarizeAsync(world.Checkout);

        var fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal(
            [("engine", "model"), ("feature", "summary"), ("reason", "unavailable")],
            fallback.Tags.OrderBy(tag => tag.Key).Select(tag => (tag.Key, (string)tag.Value!)));
        Assert.Equal(
            ["deterministic answered", "model failed"],
            answers.GetMeasurementSnapshot().Select(m => $"{m.Tags["engine"]} {m.Tags["outcome"]}").Order());
    }

    [Fact]
    public async Task AMissingIncidentIsReportedAsSuchNotRetried()
    {
        var model = new FailingModel(new IncidentNotFoundException(404));
        var assistant = AssistantWith(model);

        await Assert.ThrowsAsync<IncidentNotFoundException>(() => assistant.SummarizeAsync(world.Checkout));
        await Assert.ThrowsAsync<IncidentNotFoundException>(() => assistant.SummarizeAsync(404));
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task WithoutAFailureTheFirstEngineAnswers()
    {
        var summary = await world.Assistant.SummarizeAsync(world.Checkout);

        Assert.Null(summary.FallbackReason);
    }

    [Theory]
    [InlineData("what was the root cause?", "root_cause")]
    [InlineData("give me a summary of this incident", "summary")]
    [InlineData("are there any related incidents?", "related")]
    [InlineData("draft the postmortem", "postmortem")]
    public async Task AQuestionAboutTheCurrentIncidentReadsItOnceThoughTheModelFailed(string question, string kind)
    {
        var reads = CountingReader.Over(world.Reader);
        var assistant = AssistantWith(new FailingModel(), (IIncidentReader)reads);

        var answer = await assistant.AnswerAsync(question, world.SearchLatency, IncidentWorld.Alice);

        Assert.Equal(kind, answer.Kind);
        Assert.Equal(AssistantEngines.Deterministic, answer.Engine);
        Assert.Equal(1, reads.ReadsOf(world.SearchLatency));
    }

    private IncidentAssistant AssistantWith(FailingModel model, IIncidentReader? reader = null)
    {
        var services = world.Bot.App.Services;
        reader ??= world.Reader;
        var plugin = new IncidentPlugin(reader, services.GetRequiredService<IIncidentSearch>(), world.Clock);
        return new IncidentAssistant(
            Steps<ISummaryStep>(new DeterministicSummary(plugin, world.Clock), model),
            Steps<IRelatedStep>(new DeterministicRelated(
                plugin, world.Clock, IncidentEmbeddingModel.None, services.GetRequiredService<IIncidentEmbeddingStore>(), reader,
                services.GetRequiredService<ILogger<DeterministicRelated>>()), model),
            Steps<IQuestionStep>(new DeterministicQuestions(plugin, world.Clock), model),
            Steps<IPostmortemStep>(new DeterministicPostmortem(plugin, services.GetRequiredService<PostmortemTemplateSource>(), world.Clock), model),
            Steps<ICatchupStep>(new DeterministicCatchup(plugin, world.Clock)),
            reader,
            services.GetRequiredService<IncidentService>(),
            world.Clock);

        FeatureSteps<TStep> Steps<TStep>(params TStep[] steps)
            where TStep : IAssistantStep =>
            new(steps, services.GetRequiredService<IncidentBotMetrics>(), world.Clock, services.GetRequiredService<ILogger<FeatureSteps<TStep>>>());
    }

    private sealed class FailingModel(Exception? failure = null) : ISummaryStep, IRelatedStep, IQuestionStep, IPostmortemStep
    {
        public int Calls { get; private set; }

        public string Engine => AssistantEngines.Model;

        public Task<SummaryAnswer> SummarizeAsync(Incident incident, CancellationToken cancellationToken = default) => Fail<SummaryAnswer>();

        public Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, Incident? subject, CancellationToken cancellationToken = default) => Fail<RelatedAnswer>();

        public Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, Incident? incident, CancellationToken cancellationToken = default) => Fail<QuestionAnswer>();

        public Task<PostmortemAnswer> WriteAsync(Incident incident, int messages, CancellationToken cancellationToken = default) => Fail<PostmortemAnswer>();

        private Task<T> Fail<T>()
        {
            Calls++;
            return Task.FromException<T>(failure ?? new TimeoutException("the model took too long"));
        }
    }

    /// <summary>The real reader, counting how often each incident is read by number.</summary>
    public class CountingReader : DispatchProxy
    {
        private readonly ConcurrentDictionary<long, int> reads = new();
        private IIncidentReader inner = null!;

        public static CountingReader Over(IIncidentReader inner)
        {
            var proxy = (CountingReader)(object)Create<IIncidentReader, CountingReader>();
            proxy.inner = inner;
            return proxy;
        }

        public int ReadsOf(long number) => reads.GetValueOrDefault(number);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IIncidentReader.GetAsync))
            {
                reads.AddOrUpdate((long)args![0]!, 1, (_, n) => n + 1);
            }

            return targetMethod.Invoke(inner, args);
        }
    }
}
