using IncidentBot.Testing;

namespace IncidentBot.Bench;

/// <summary>
/// What a load run sends to: the bot as its own process on a fresh SQLite file against the fake Slack, one
/// declared incident whose channel every load message is posted in (so each one goes all the way to the
/// timeline), and the baseline process beside it. Disposing kills both processes.
/// </summary>
public sealed class LoadTarget : IAsyncDisposable
{
    public const string SigningSecret = "bench-signing-secret-0123456789abcdef";
    public const string ApiKey = "bench-api-key-0123456789abcdef";
    public const string LoadUserId = "U0LOAD01";
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private LoadTarget(FakeSlack slack, LoopbackProcess bot, LoopbackProcess baseline, string databasePath)
    {
        Slack = slack;
        Bot = bot;
        Baseline = baseline;
        DatabasePath = databasePath;
    }

    public FakeSlack Slack { get; }
    public LoopbackProcess Bot { get; }
    public LoopbackProcess Baseline { get; }
    public string DatabasePath { get; }
    public StartupSample BotStartup { get; private set; } = new(TimeSpan.Zero, 0);
    public string IncidentId { get; private set; } = "";
    public string ChannelId { get; private set; } = "";

    /// <summary>The bot's settings against <paramref name="slack"/> with the benchmark's secrets.</summary>
    public static BotProcessSettings BotSettings(
        FakeSlack slack, BenchEnvironment environment, string databasePath, IReadOnlyList<KeyValuePair<string, string>> botEnvironment) =>
        new(environment.BotDll, databasePath, slack.ApiBaseUrl, slack.BotToken, SigningSecret, ApiKey) { ExtraEnvironment = botEnvironment };

    public static async Task<LoadTarget> StartAsync(
        FakeSlack slack, BenchEnvironment environment, string databasePath, IReadOnlyList<KeyValuePair<string, string>> botEnvironment,
        TextWriter log, CancellationToken cancellationToken)
    {
        slack.AddUser(LoadUserId, "loadgen", "Load Generator");
        var bot = BotProcess.Start(BotSettings(slack, environment, databasePath, botEnvironment));
        var target = new LoadTarget(slack, bot, BaselineServer.Start(SigningSecret, environment.BotServerGc), databasePath);
        try
        {
            await target.PrepareAsync(log, cancellationToken);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>Unique signed message events in the incident's channel.</summary>
    public SignedEvents NewEvents() => new(new SlackRequestSigner(SigningSecret), Slack.TeamId, ChannelId, LoadUserId);

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Baseline.DisposeAsync();
    }

    private async Task PrepareAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var ready = await Bot.WaitUntilReadyAsync(ReadyTimeout, cancellationToken: cancellationToken);
        BotStartup = new StartupSample(ready, MemoryReading.Of(Bot.Id).ResidentBytes);
        log.WriteLine($"bot {Bot.Id} ready at {Bot.Address} after {ready.TotalMilliseconds:0} ms");
        await Baseline.WaitUntilReadyAsync(ReadyTimeout, BaselineServer.ReadyPath, cancellationToken);
        log.WriteLine($"baseline {Baseline.Id} ready at {Baseline.Address}");

        using var api = new BotApi(Bot.Address, ApiKey);
        IncidentId = await api.DeclareAsync("Load benchmark: checkout-api errors", cancellationToken);
        ChannelId = await api.WaitForChannelAsync(IncidentId, TimeSpan.FromSeconds(30), cancellationToken);
        log.WriteLine($"declared {IncidentId}, channel {ChannelId}");
    }
}
