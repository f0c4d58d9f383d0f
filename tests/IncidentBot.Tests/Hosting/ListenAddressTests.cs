using System.Text.Json;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>Where the bot listens is the operator's to say, the way ASP.NET Core reads it: nothing of ours wins over it.</summary>
public sealed class ListenAddressTests : IDisposable
{
    private readonly TemporaryDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public void TheLaunchProfileSetsNoAddressSoDotnetRunKeepsAspnetcoreUrls()
    {
        using var launch = JsonDocument.Parse(RepositoryFiles.ReadAllText("src/IncidentBot/Properties/launchSettings.json"));

        foreach (var profile in launch.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.False(profile.Value.TryGetProperty("applicationUrl", out _), $"the profile {profile.Name} sets applicationUrl, which wins over ASPNETCORE_URLS");
            if (profile.Value.TryGetProperty("environmentVariables", out var variables))
            {
                Assert.DoesNotContain(variables.EnumerateObject(), variable => variable.Name.StartsWith("ASPNETCORE_URLS", StringComparison.Ordinal) || variable.Name.Contains("PORTS", StringComparison.Ordinal));
            }
        }

        Assert.DoesNotContain("\"Urls\"", RepositoryFiles.ReadAllText("src/IncidentBot/appsettings.json"));
    }

    [Fact]
    public async Task TheContainersAspnetcoreHttpPortsIsWhereItListens()
    {
        var port = LoopbackProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var bot = LoopbackProcess.Start(typeof(IncidentBotApp).Assembly.Location, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "",
            ["ASPNETCORE_HTTP_PORTS"] = port,
            ["Storage__ConnectionString"] = database.ConnectionString,
            ["Assistant__LocalEmbeddings"] = "false",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var ready = await SlackTestBot.EventuallyAsync(async () =>
        {
            Assert.False(bot.HasExited, bot.RecentOutput());
            try
            {
                return (await client.GetAsync("readyz")).IsSuccessStatusCode ? (bool?)true : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60));

        Assert.True(ready);
        Assert.Contains($"IncidentBot listening on http://[::]:{port}:", await SlackTestBot.EventuallyAsync(
            () => Task.FromResult(bot.RecentOutput().Contains("IncidentBot listening", StringComparison.Ordinal) ? bot.RecentOutput() : null), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task StartedFromAnotherFolderItReadsTheSettingsBesideTheProgram()
    {
        var elsewhere = Directory.CreateTempSubdirectory("incidentbot-cwd-");
        try
        {
            await using var bot = LoopbackProcess.Start(typeof(IncidentBotApp).Assembly.Location, [], new Dictionary<string, string>
            {
                ["Storage__ConnectionString"] = database.ConnectionString,
                ["Assistant__LocalEmbeddings"] = "false",
            }, workingDirectory: elsewhere.FullName);

            var output = await SlackTestBot.EventuallyAsync(() =>
            {
                Assert.False(bot.HasExited, bot.RecentOutput());
                return Task.FromResult(bot.RecentOutput().Contains("IncidentBot listening", StringComparison.Ordinal) ? bot.RecentOutput() : null);
            }, TimeSpan.FromSeconds(60));

            // appsettings.json keeps the framework's own lines below Warning and writes each entry on one line.
            Assert.DoesNotContain("Microsoft.Hosting.Lifetime", output);
            Assert.Contains(" UTC info: IncidentBot[0] IncidentBot listening on ", output);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }
}
