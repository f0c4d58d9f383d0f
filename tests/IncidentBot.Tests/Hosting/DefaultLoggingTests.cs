using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>The built program with Slack on, at the log levels of its appsettings.json, as an operator runs it.</summary>
public sealed class DefaultLoggingTests : IAsyncLifetime
{
    private const string ApiKey = "default-logging-key-0123456789";
    private readonly TemporaryDatabase database = new();
    private FakeSlack slack = null!;

    public async Task InitializeAsync() => slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync()
    {
        await slack.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task ADeclarationWithSlackOnLogsTheStartLineAndTheEventsButNoHttpClientChatter()
    {
        await using var bot = BotProcess.Start(new BotProcessSettings(
            typeof(IncidentBotApp).Assembly.Location, database.FilePath, slack.ApiBaseUrl, slack.BotToken, "default-logging-secret", ApiKey)
        {
            LogLevel = null,
        });
        await bot.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        await TestBot.ReadSuccessAsync(await bot.Client.PostAsJsonAsync("/api/incidents", new { title = "Search is slow", severity = "SEV-3" }));
        await SlackTestBot.EventuallyAsync(async () =>
        {
            var incident = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1"));
            return incident.GetProperty("channel").ValueKind == JsonValueKind.Object ? (bool?)true : null;
        }, TimeSpan.FromSeconds(30));
        await SlackTestBot.EventuallyAsync(() => Task.FromResult(bot.RecentOutput().Contains("INC-1 channel #") ? (bool?)true : null));

        var output = bot.RecentOutput();
        Assert.Contains($"IncidentBot listening on {bot.Address.ToString().TrimEnd('/')}: Slack over HTTP", output);
        Assert.Contains($"storage sqlite {database.FilePath} · assistant deterministic (no model) · REST API open (1 key) · dashboard off", output);
        Assert.Contains("INC-1 declared SEV-3 \"Search is slow\"", output);
        Assert.Contains("INC-1 channel #incident-1-search-is-slow", output);
        Assert.DoesNotContain("System.Net.Http.HttpClient", output);
        Assert.DoesNotContain("Polly", output);
        Assert.True(bot.OutputLines <= 6, $"{bot.OutputLines} lines:\n{output}");
    }
}
