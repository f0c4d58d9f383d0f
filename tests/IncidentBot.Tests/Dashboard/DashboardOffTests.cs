using System.Net;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Dashboard;

public sealed class DashboardOffTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/incidents")]
    public async Task WithoutSignInTheDashboardSaysWhichSettingsTurnItOn(string path)
    {
        using var database = new TemporaryDatabase();
        await using var bot = await TestBot.StartAsync(database.ConnectionString);
        using var client = bot.AnonymousClient();

        var response = await client.GetAsync(path);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The web dashboard is off", page);
        Assert.All(["Dashboard:ClientId", "Dashboard:ClientSecret", "Dashboard:TeamId"], key => Assert.Contains(key, page));
        Assert.Equal(HttpStatusCode.OK, (await bot.Client.GetAsync("/api/incidents")).StatusCode);
    }
}
