using System.Net.Http.Json;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Dashboard;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>What an operator reads at the default levels of appsettings.json: one line per event, saying what happened.</summary>
public sealed class LogLineTests : IDisposable
{
    private const string Responder = "U0123ABC";
    private readonly TemporaryDatabase database = new();
    private readonly LogCapture logs = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task ADeclarationWithSlackOnLogsTheStartLineAndTheEventsButNoHttpClientChatter()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = BotProcess.Start(new BotProcessSettings(
            typeof(IncidentBotApp).Assembly.Location, database.FilePath, slack.ApiBaseUrl, slack.BotToken, "log-lines-signing-secret", "log-lines-api-key-0123456789")
        {
            LogLevel = null,
        });
        await bot.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        await TestBot.ReadSuccessAsync(await bot.Client.PostAsJsonAsync("/api/incidents", new { title = "Search is slow", severity = "SEV-3" }));
        await SlackTestBot.EventuallyAsync(
            () => Task.FromResult(bot.RecentOutput().Contains("INC-1 channel #", StringComparison.Ordinal) ? (bool?)true : null), TimeSpan.FromSeconds(30));

        var output = bot.RecentOutput();
        Assert.Contains($"IncidentBot listening on {bot.Address.ToString().TrimEnd('/')}: Slack over HTTP", output);
        Assert.Contains($"storage sqlite {database.FilePath} · assistant deterministic (no model), related by words (no embeddings) · REST API open (1 key) · dashboard off (no Dashboard:ClientId)", output);
        Assert.Contains("INC-1 declared SEV-3 \"Search is slow\"", output);
        Assert.Contains("INC-1 channel #incident-1-search-is-slow", output);
        Assert.DoesNotContain("System.Net.Http.HttpClient", output);
        Assert.DoesNotContain("Polly", output);
        Assert.True(bot.OutputLines <= 6, $"{bot.OutputLines} lines:\n{output}");
    }

    [Fact]
    public async Task TheStartLineSaysWhenTheDashboardIsOn()
    {
        await using var dashboard = await DashboardTestBot.StartAsync();

        var line = StartupSummary.Describe(dashboard.Slack.Bot.App);

        Assert.EndsWith($" · dashboard on at /incidents (sign in with Slack, workspace {dashboard.TeamId})", line);
    }

    [Fact]
    public async Task ADeclarationAndAStatusChangeAreOneLineEachSayingFromWhatToWhat()
    {
        await using var bot = await TestBot.StartAsync(database.ConnectionString, logs: logs);

        await bot.DeclareAsync(new { title = "Checkout failing", severity = "SEV-2", declaredBy = Responder });
        await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "stable", actor = Responder }));

        Assert.Equal(
            ["INC-1 declared SEV-2 \"Checkout failing\" by U0123ABC", "INC-1 status active → stable by U0123ABC"],
            logs.Entries.Where(e => e.Category == typeof(IncidentService).FullName).Select(e => e.Message));
    }

    [Fact]
    public async Task AnUnreachableSlackIsOneWarningNamingTheCauseWithoutAStackTrace()
    {
        var closedPort = LoopbackProcess.FreeLoopbackPort();
        await using var bot = await TestBot.StartAsync(database.ConnectionString, new FakeClock(), new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-unreachable",
            ["Slack:SigningSecret"] = "unreachable-signing-secret",
            ["Slack:ApiBaseUrl"] = $"http://127.0.0.1:{closedPort}/api/",
            ["Slack:MaxRetryAttempts"] = "0",
        }, logs);

        await bot.DeclareAsync(new { title = "Slack is down too", declaredBy = Responder });

        var warning = await logs.WaitForAsync(e => e.Category == typeof(IncidentChannelSync).FullName && e.Message.StartsWith("INC-1:", StringComparison.Ordinal));
        Assert.Equal($"INC-1: Slack could not be reached: connection to 127.0.0.1:{closedPort} refused; attempt 1, retrying in 5 s", warning.Message);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Single(logs.Entries, e => e.Message.StartsWith("INC-1: Slack", StringComparison.Ordinal));
        var shown = logs.AtLeast(LogLevel.Information);
        Assert.DoesNotContain(shown, e => e.Exception is not null);
        Assert.DoesNotContain(shown, e => e.Message.Contains("refused an update", StringComparison.Ordinal));
        Assert.DoesNotContain(shown, e => e.Category.StartsWith("System.Net.Http", StringComparison.Ordinal) || e.Category.StartsWith("Polly", StringComparison.Ordinal));
    }
}
