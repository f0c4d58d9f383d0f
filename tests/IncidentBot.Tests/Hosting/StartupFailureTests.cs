using System.Net;
using System.Net.Sockets;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// The built program, started as an operator starts it, with one mistake each: it ends with exit code 1 and one
/// line on stderr that names the cause and the fix, and logs no stack trace.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(60);
    private readonly TemporaryDatabase database = new();
    private readonly string folder = Directory.CreateTempSubdirectory("incidentbot-startup-").FullName;

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task APortInUseNamesThePortAndHowToChooseAnother()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var line = await FailingStartAsync(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.Contains($"port {port} is in use", line);
        Assert.Contains($"--urls http://127.0.0.1:{port + 1}", line);
        Assert.Contains("ASPNETCORE_URLS", line);
        Assert.Contains("Urls setting", line);
    }

    [Fact]
    public async Task AnAddressThatIsNoUrlShowsHowOneIsWritten()
    {
        var line = await FailingStartAsync(new() { ["ASPNETCORE_URLS"] = "localhost-5080" });

        Assert.StartsWith("IncidentBot cannot start: 'localhost-5080' is not an address to listen on: write it as http://localhost:5080", line);
    }

    [Fact]
    public async Task ADatabaseInAFolderThatCannotBeWrittenNamesThePathAndWhy()
    {
        // Even root may not create files in /proc.
        var line = await FailingStartAsync(new() { ["Storage__ConnectionString"] = "Data Source=/proc/incidentbot.db" });

        Assert.Contains("cannot open the database /proc/incidentbot.db: the folder /proc is not writable", line);
        Assert.Contains("Storage:ConnectionString", line);
    }

    [Fact]
    public async Task ADatabaseUnderAFileNamesThatFile()
    {
        var file = Path.Combine(folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "");

        var line = await FailingStartAsync(new() { ["Storage__ConnectionString"] = $"Data Source={file}/incidentbot.db" });

        Assert.Contains($"cannot open the database {file}/incidentbot.db: {file} is a file, not a folder", line);
    }

    [Fact]
    public async Task AFileThatIsNotADatabaseIsNamed()
    {
        var file = Path.Combine(folder, "notes.db");
        await File.WriteAllTextAsync(file, "these are notes, not a database; these are notes, not a database");

        var line = await FailingStartAsync(new() { ["Storage__ConnectionString"] = $"Data Source={file}" });

        Assert.Contains($"cannot open the database {file}: the file is not a SQLite database", line);
    }

    [Fact]
    public async Task AConnectionStringWithoutDataSourceShowsTheExpectedForm()
    {
        var line = await FailingStartAsync(new() { ["Storage__ConnectionString"] = "/tmp/x.db" });

        Assert.Equal("IncidentBot cannot start: Storage:ConnectionString '/tmp/x.db' is not a connection string: write 'Data Source=/tmp/x.db'.", line);
    }

    [Fact]
    public async Task ABrokenAppsettingsFileNamesTheFileAndLine()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{\n  \"Storage\": {\n    \"Provider\": \"sqlite\"\n  }\n  \"Ai\": {}\n}\n");

        var line = await FailingStartAsync([], ["--contentRoot", folder]);

        Assert.Contains($"{folder}/appsettings.json is not valid JSON: line 5, column 3:", line);
    }

    [Fact]
    public async Task AMisspeltSectionInAppsettingsIsRefusedWithASuggestion()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{\n  \"Slak\": { \"BotToken\": \"xoxb-1\" }\n}\n");

        var line = await FailingStartAsync([], ["--contentRoot", folder]);

        Assert.Equal("IncidentBot cannot start: Slak:BotToken (in appsettings.json) is not a setting IncidentBot knows: did you mean Slack:BotToken?", line);
    }

    [Fact]
    public async Task AnInvalidOptionValueIsReportedAsBefore()
    {
        var line = await FailingStartAsync(new() { ["Storage__Provider"] = "mongo" });

        Assert.Equal("IncidentBot cannot start: Storage:Provider must be 'sqlite' or 'postgres', not 'mongo'.", line);
    }

    [Fact]
    public async Task AMisspeltSectionInTheEnvironmentIsRefusedWithASuggestion()
    {
        var line = await FailingStartAsync(new() { ["Storge__Provider"] = "mongo" });

        Assert.Equal("IncidentBot cannot start: Storge__Provider (environment variable) is not a setting IncidentBot knows: did you mean Storage__Provider?", line);
    }

    /// <returns>The one line on stderr.</returns>
    private Task<string> FailingStartAsync(Dictionary<string, string> environment, string[]? arguments = null)
    {
        environment.TryAdd("Storage__ConnectionString", database.ConnectionString);
        return StartAndFailAsync(environment, arguments ?? []);
    }

    /// <summary>Starts the built program in production with <paramref name="environment"/> and asserts it fails as an operator should see it.</summary>
    /// <returns>The one line on stderr.</returns>
    internal static async Task<string> StartAndFailAsync(IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        Dictionary<string, string> settings = new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        await using var bot = LoopbackProcess.Start(typeof(IncidentBotApp).Assembly.Location, arguments, settings);
        await bot.WaitForExitAsync(ExitLimit);

        var output = bot.RecentOutput();
        Assert.True(bot.ExitCode == 1, $"exit code {bot.ExitCode}:\n{output}");
        var line = Assert.Single(bot.ErrorLines());
        Assert.StartsWith(StartupFailure.Prefix, line);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output.Replace(line, ""));
        return line;
    }
}
