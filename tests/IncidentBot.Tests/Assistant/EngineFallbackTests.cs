using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Tests.Assistant;

public sealed class EngineFallbackTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task AFailingEngineIsReplacedByTheDeterministicOneAndTheAnswerSaysSo()
    {
        var assistant = AssistantWith(new FailingEngine());

        var summary = await assistant.SummarizeAsync(world.Checkout);
        var answer = await assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Deterministic, summary.Engine);
        Assert.Contains("The model engine did not answer (TimeoutException)", summary.FallbackReason);
        Assert.Equal(3, answer.Count);
        Assert.NotNull(answer.FallbackReason);
    }

    [Fact]
    public async Task AMissingIncidentIsReportedAsSuchNotRetried()
    {
        var engine = new FailingEngine(new IncidentNotFoundException(404));
        var assistant = AssistantWith(engine);

        await Assert.ThrowsAsync<IncidentNotFoundException>(() => assistant.SummarizeAsync(404));
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task WithoutAFailureTheFirstEngineAnswers()
    {
        var summary = await world.Assistant.SummarizeAsync(world.Checkout);

        Assert.Null(summary.FallbackReason);
    }

    private IncidentAssistant AssistantWith(IAssistantEngine first)
    {
        var services = world.Bot.App.Services;
        return new IncidentAssistant(
            [services.GetRequiredService<DeterministicEngine>(), first],
            services.GetRequiredService<IIncidentReader>(),
            services.GetRequiredService<IncidentService>(),
            world.Clock,
            services.GetRequiredService<ILogger<IncidentAssistant>>());
    }

    private sealed class FailingEngine(Exception? failure = null) : IAssistantEngine
    {
        public int Calls { get; private set; }

        public string Name => "model";

        public Task<SummaryAnswer> SummarizeAsync(long number, CancellationToken cancellationToken = default) => Fail<SummaryAnswer>();

        public Task<RelatedAnswer> FindRelatedAsync(RelatedRequest request, CancellationToken cancellationToken = default) => Fail<RelatedAnswer>();

        public Task<QuestionAnswer> AnswerAsync(AssistantQuestion question, CancellationToken cancellationToken = default) => Fail<QuestionAnswer>();

        public Task<PostmortemAnswer> WritePostmortemAsync(Incident incident, CancellationToken cancellationToken = default) => Fail<PostmortemAnswer>();

        private Task<T> Fail<T>()
        {
            Calls++;
            return Task.FromException<T>(failure ?? new TimeoutException("the model took too long"));
        }
    }
}
