using IncidentBot.Configuration;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Assistant;

public static class AssistantExtensions
{
    /// <summary>
    /// The assistant with its deterministic engine. A model-backed engine is added as another
    /// <see cref="IAssistantEngine"/>; <see cref="IncidentAssistant"/> asks it first and falls back to this one.
    /// </summary>
    public static IHostApplicationBuilder AddAssistant(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<AssistantOptions, AssistantOptionsValidator>(AssistantOptions.Section);

        // SQLite's search; a storage provider that brings its own registers it first.
        builder.Services.TryAddSingleton<IIncidentSearch, SqliteIncidentSearch>();
        builder.Services.TryAddSingleton<IPostmortemDraftStore, SqlitePostmortemDraftStore>();

        builder.Services.AddSingleton<IncidentPlugin>();
        builder.Services.AddSingleton<PostmortemTemplateSource>();
        builder.Services.AddSingleton<DeterministicEngine>();
        builder.Services.AddSingleton<IAssistantEngine>(sp => sp.GetRequiredService<DeterministicEngine>());
        builder.Services.AddSingleton<IncidentAssistant>();
        return builder;
    }
}
