using IncidentBot.Assistant;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Assistant.Questions;
using IncidentBot.Assistant.Related;
using IncidentBot.Assistant.Summary;
using IncidentBot.Incidents;
using IncidentBot.Storage;

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

    private IncidentAssistant AssistantWith(FailingModel model)
    {
        var services = world.Bot.App.Services;
        return new IncidentAssistant(
            Steps<ISummaryStep>(services.GetRequiredService<DeterministicSummary>(), model),
            Steps<IRelatedStep>(services.GetRequiredService<DeterministicRelated>(), model),
            Steps<IQuestionStep>(services.GetRequiredService<DeterministicQuestions>(), model),
            Steps<IPostmortemStep>(services.GetRequiredService<DeterministicPostmortem>(), model),
            services.GetRequiredService<IIncidentReader>(),
            services.GetRequiredService<IncidentService>(),
            world.Clock);

        FeatureSteps<TStep> Steps<TStep>(params TStep[] steps)
            where TStep : IAssistantStep =>
            new(steps, services.GetRequiredService<ILogger<FeatureSteps<TStep>>>());
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
}
