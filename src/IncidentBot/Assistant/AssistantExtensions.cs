using IncidentBot.Assistant.Model;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Assistant.Questions;
using IncidentBot.Assistant.Related;
using IncidentBot.Assistant.Summary;
using IncidentBot.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Assistant;

public static class AssistantExtensions
{
    /// <summary>
    /// The assistant with the deterministic core of each feature, and with <c>Ai:Provider</c> openai each feature's
    /// model step too, which <see cref="FeatureSteps{TStep}"/> asks first, falling back to the core.
    /// </summary>
    public static IHostApplicationBuilder AddAssistant(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<AssistantOptions, AssistantOptionsValidator>(AssistantOptions.Section);

        var services = builder.Services;
        services.AddSingleton<IncidentPlugin>();
        services.AddSingleton<PostmortemTemplateSource>();
        services.AddSingleton(typeof(FeatureSteps<>));
        AddStep<ISummaryStep, DeterministicSummary>(services);
        AddStep<IRelatedStep, DeterministicRelated>(services);
        services.AddRelatedEmbeddings();
        AddStep<IQuestionStep, DeterministicQuestions>(services);
        AddStep<IPostmortemStep, DeterministicPostmortem>(services);
        if (IsModelConfigured(builder.Configuration))
        {
            services.AddModel();
            services.AddSingleton<ModelWriter>();
            AddStep<ISummaryStep, ModelSummary>(services);
            AddStep<IRelatedStep, ModelRelated>(services);
            AddStep<IQuestionStep, ModelQuestions>(services);
            AddStep<IPostmortemStep, ModelPostmortem>(services);
        }

        services.AddSingleton<IncidentAssistant>();
        services.AddSingleton<AnswerRenderer>();
        // Slack's names when Slack is on (SlackApp registers them).
        services.TryAddSingleton<IPersonNames, NoPersonNames>();
        return builder;
    }

    /// <summary>A step as itself (a model step may build on its feature's core) and as one of its feature's steps.</summary>
    private static void AddStep<TStep, TImplementation>(IServiceCollection services)
        where TStep : class, IAssistantStep
        where TImplementation : class, TStep
    {
        services.AddSingleton<TImplementation>();
        services.AddSingleton<TStep>(sp => sp.GetRequiredService<TImplementation>());
    }

    private static bool IsModelConfigured(IConfiguration configuration) =>
        string.Equals(configuration[$"{AiOptions.Section}:{nameof(AiOptions.Provider)}"]?.Trim(), AiOptions.OpenAi, StringComparison.OrdinalIgnoreCase);
}
