using IncidentBot.Assistant.Model;
using IncidentBot.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Assistant;

public static class AssistantExtensions
{
    /// <summary>
    /// The assistant with its deterministic engine, and with <c>Ai:Provider</c> openai the model engine too,
    /// which <see cref="IncidentAssistant"/> asks first, falling back to the deterministic one.
    /// </summary>
    public static IHostApplicationBuilder AddAssistant(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<AssistantOptions, AssistantOptionsValidator>(AssistantOptions.Section);

        builder.Services.AddSingleton<IncidentPlugin>();
        builder.Services.AddSingleton<PostmortemTemplateSource>();
        builder.Services.AddSingleton<DeterministicEngine>();
        builder.Services.AddSingleton<IAssistantEngine>(sp => sp.GetRequiredService<DeterministicEngine>());
        if (IsModelConfigured(builder.Configuration))
        {
            builder.Services.AddModel();
            builder.Services.AddSingleton<ModelEngine>();
            builder.Services.AddSingleton<IAssistantEngine>(sp => sp.GetRequiredService<ModelEngine>());
        }

        builder.Services.AddSingleton<IncidentAssistant>();
        return builder;
    }

    private static bool IsModelConfigured(IConfiguration configuration) =>
        string.Equals(configuration[$"{AiOptions.Section}:{nameof(AiOptions.Provider)}"]?.Trim(), AiOptions.OpenAi, StringComparison.OrdinalIgnoreCase);
}
