using IncidentBot.Assistant.Related;
using IncidentBot.Configuration;
using IncidentBot.Dashboard;
using IncidentBot.Slack;
using IncidentBot.SlackApp;
using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

/// <summary>The one line logged once the bot has started, saying how it runs.</summary>
public static class StartupSummary
{
    public static string Describe(WebApplication app)
    {
        var services = app.Services;
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return $"IncidentBot listening on {string.Join(", ", addresses)}: " + string.Join(" · ",
            Slack(app.Configuration, services),
            Storage(services),
            Assistant(services.GetRequiredService<IOptions<AiOptions>>().Value, services.GetRequiredService<IncidentEmbeddingModel>()),
            Api(services.GetRequiredService<IOptions<ApiOptions>>().Value),
            Dashboard(services.GetRequiredService<IOptions<DashboardOptions>>().Value));
    }

    private static string Slack(IConfiguration configuration, IServiceProvider services)
    {
        if (!configuration.IsSlackConfigured())
        {
            return "Slack off (no Slack:BotToken)";
        }

        var slack = services.GetRequiredService<IOptions<SlackOptions>>().Value;
        return string.IsNullOrWhiteSpace(slack.AppToken)
            ? $"Slack over HTTP (requests at /slack/…, Web API {slack.ApiBaseUrl})"
            : $"Slack Socket Mode ({Count(slack.SocketModeConnections, "connection")})";
    }

    private static string Storage(IServiceProvider services) =>
        StorageOptions.IsPostgres(services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider)
            ? $"storage postgres {services.GetRequiredService<PostgresDatabase>().Description}"
            : $"storage sqlite {services.GetRequiredService<SqliteDatabase>().DataSource}";

    private static string Assistant(AiOptions ai, IncidentEmbeddingModel embeddings)
    {
        var related = embeddings.Name is { } name
            ? $"related by meaning with {name}{(embeddings.IsKeptInBackground ? " (local)" : "")}"
            : "related by words (no embeddings)";
        if (!string.Equals(ai.Provider?.Trim(), AiOptions.OpenAi, StringComparison.OrdinalIgnoreCase))
        {
            return $"assistant deterministic (no model), {related}";
        }

        var endpoint = string.IsNullOrWhiteSpace(ai.Endpoint) ? "api.openai.com" : new Uri(ai.Endpoint).GetLeftPart(UriPartial.Path);
        return $"assistant model {ai.Model?.Trim()} at {endpoint}, {related}";
    }

    private static string Api(ApiOptions api) =>
        api.AllKeys.Any() ? $"REST API open ({Count(api.AllKeys.Count(), "key")})" : "REST API closed (no Api:Keys)";

    private static string Dashboard(DashboardOptions dashboard) =>
        dashboard.Enabled
            ? $"dashboard on at /incidents (sign in with Slack{(string.IsNullOrWhiteSpace(dashboard.TeamId) ? "" : $", workspace {dashboard.TeamId.Trim()}")})"
            : "dashboard off (no Dashboard:ClientId)";

    private static string Count(int count, string thing) => count == 1 ? $"1 {thing}" : $"{count} {thing}s";
}
