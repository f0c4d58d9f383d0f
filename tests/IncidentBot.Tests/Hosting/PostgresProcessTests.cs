using System.Net.Http.Json;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;
using Npgsql;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// The built program on PostgreSQL, started as an operator starts it: it runs and keeps what it was told across a
/// restart, and each mistake in reaching the database stops it with one line on stderr, as in <see cref="StartupFailureTests"/>.
/// </summary>
public sealed class PostgresProcessTests : IAsyncDisposable
{
    private const string ApiKey = "postgres-process-api-key-0123";
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(60);
    private readonly PostgresStorage storage = new();

    public async ValueTask DisposeAsync() => await storage.DisposeAsync();

    [SkippableFact]
    public async Task ItStartsOnPostgresSaysSoAndKeepsADeclarationAcrossARestart()
    {
        await storage.InitializeAsync();
        await using var slack = await FakeSlack.StartAsync();
        var settings = new BotProcessSettings(typeof(IncidentBotApp).Assembly.Location, "unused.db", slack.ApiBaseUrl, slack.BotToken, "postgres-process-signing-secret", ApiKey)
        {
            LogLevel = null,
            ExtraEnvironment = [new("Storage__Provider", "postgres"), new("Storage__ConnectionString", storage.ConnectionString)],
        };

        await using (var first = BotProcess.Start(settings))
        {
            await first.WaitUntilReadyAsync(ReadyLimit);
            var startLine = await OutputLineAsync(first, "IncidentBot listening on");
            Assert.Contains($"· storage postgres {Server()}/{new NpgsqlConnectionStringBuilder(storage.ConnectionString).Database} ·", startLine);
            Assert.Contains("Slack over HTTP", startLine);
            Assert.Contains("REST API open (1 key)", startLine);
            Assert.Contains($"schema upgraded from version 0 to {storage.LatestVersion}", first.RecentOutput());

            var declared = await TestBot.ReadSuccessAsync(await first.Client.PostAsJsonAsync("/api/incidents", new { title = "Checkout down", severity = "SEV-2" }));
            Assert.Equal("INC-1", declared.GetProperty("id").GetString());
        }

        await using var second = BotProcess.Start(settings);
        await second.WaitUntilReadyAsync(ReadyLimit);

        var kept = await TestBot.ReadSuccessAsync(await second.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal("Checkout down", kept.GetProperty("title").GetString());
        var next = await TestBot.ReadSuccessAsync(await second.Client.PostAsJsonAsync("/api/incidents", new { title = "Search slow" }));
        Assert.Equal("INC-2", next.GetProperty("id").GetString());
        Assert.DoesNotContain("schema upgraded", second.RecentOutput());
    }

    [Fact]
    public async Task AServerNothingListensOnIsNamedAsUnreachable()
    {
        var port = LoopbackProcess.FreeLoopbackPort();

        var line = await FailingStartAsync($"Host=127.0.0.1;Port={port};Database=incidentbot;Username=incidentbot");

        Assert.Equal(
            $"IncidentBot cannot start: could not reach the PostgreSQL server 127.0.0.1:{port} (connection refused: nothing listens there): " +
            "check Host= and Port= in Storage:ConnectionString and that the server is running.",
            line);
    }

    [Fact]
    public async Task AHostThatDoesNotExistIsNamedAsUnreachable()
    {
        var line = await FailingStartAsync("Host=postgres.invalid;Database=incidentbot;Username=incidentbot");

        Assert.StartsWith("IncidentBot cannot start: could not reach the PostgreSQL server postgres.invalid (", line);
        Assert.EndsWith("): check Host= and Port= in Storage:ConnectionString and that the server is running.", line);
    }

    [SkippableFact]
    public async Task ADatabaseTheServerDoesNotHaveIsNamedWithHowToCreateIt()
    {
        var connection = await ServerConnectionAsync();
        connection.Database = "incidentbot_missing_" + Guid.NewGuid().ToString("N");

        var line = await FailingStartAsync(connection.ConnectionString);

        Assert.Equal(
            $"IncidentBot cannot start: the PostgreSQL server {Server()} has no database '{connection.Database}': " +
            $"create it (CREATE DATABASE {connection.Database}) or name another in Database= of Storage:ConnectionString.",
            line);
    }

    [SkippableFact]
    public async Task AUserTheServerRefusesIsNamedWithWhereToFixIt()
    {
        var connection = await ServerConnectionAsync();
        connection.Username = "nobody_" + Guid.NewGuid().ToString("N")[..8];
        connection.Password = "not-the-password";

        var line = await FailingStartAsync(connection.ConnectionString);

        Assert.StartsWith($"IncidentBot cannot start: the PostgreSQL server {Server()} refused user '{connection.Username}' (", line);
        Assert.EndsWith("): fix Username= and Password= in Storage:ConnectionString.", line);
        Assert.DoesNotContain("not-the-password", line);
    }

    [Theory]
    [InlineData("/var/lib/incidentbot/incidentbot.db", "'/var/lib/incidentbot/incidentbot.db' is not a PostgreSQL connection string: write Host=<server>;")]
    [InlineData("Host=db;Usernme=incidentbot", "'usernme' is not a setting PostgreSQL connections have: did you mean 'Username'? Write Host=<server>;")]
    [InlineData("Host=db;Port=five", "the value of 'port' is not valid (")]
    [InlineData("Database=incidentbot", "names no Host for PostgreSQL. Write Host=<server>;")]
    public async Task AMalformedConnectionStringShowsTheExpectedForm(string connectionString, string expected)
    {
        var line = await FailingStartAsync(connectionString);

        Assert.StartsWith("IncidentBot cannot start: Storage:ConnectionString ", line);
        Assert.Contains(expected, line);
    }

    [SkippableFact]
    public async Task ADatabaseOfANewerSchemaVersionIsRefused()
    {
        await storage.InitializeAsync();
        await storage.MigrateAsync();
        await storage.SetVersionAsync(storage.LatestVersion + 1);

        var line = await FailingStartAsync(storage.ConnectionString);

        Assert.Contains($"has schema version {storage.LatestVersion + 1}, written by a newer IncidentBot; this one knows versions up to {storage.LatestVersion}", line);
        Assert.EndsWith("run that newer IncidentBot on it, or point Storage:ConnectionString at another database.", line);
        Assert.Equal(storage.LatestVersion + 1, await storage.GetVersionAsync());
    }

    private static Task<string> FailingStartAsync(string connectionString) =>
        StartupFailureTests.StartAndFailAsync(
            new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["Storage__ConnectionString"] = connectionString }, []);

    /// <summary>The test server's connection, without the schema of <see cref="storage"/>.</summary>
    private async Task<NpgsqlConnectionStringBuilder> ServerConnectionAsync()
    {
        await storage.InitializeAsync();
        return new NpgsqlConnectionStringBuilder(PostgresStorage.ServerConnectionString);
    }

    /// <summary>The test server as the bot names it: host, and port unless it is the default.</summary>
    private static string Server()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresStorage.ServerConnectionString);
        return server.Port == NpgsqlConnection.DefaultPort ? server.Host! : $"{server.Host}:{server.Port}";
    }

    private static Task<string> OutputLineAsync(LoopbackProcess bot, string text) =>
        SlackTestBot.EventuallyAsync(
            () => Task.FromResult(bot.RecentOutput().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal))), ReadyLimit);
}
