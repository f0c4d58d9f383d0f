using System.Net.Http.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

public sealed class RestartTests : IDisposable
{
    private readonly TemporaryDatabase database = new();

    [Fact]
    public async Task EverythingWrittenBeforeAStopIsThereAfterTheNextStart()
    {
        await using (var before = await TestBot.StartAsync(database.ConnectionString))
        {
            await before.DeclareAsync(new { title = "Checkout down", severity = "sev1", services = new[] { "checkout-api" } });
            await before.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "stable", commanderId = "U2" });
            await before.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message = "Rolled back v2.3.1", type = "action" });
            await before.Client.PostAsJsonAsync("/api/incidents/INC-1/links", new { type = "deploy", targetId = "v2.3.1" });
        }

        await using var after = await TestBot.StartAsync(database.ConnectionString);

        var incident = await TestBot.ReadSuccessAsync(await after.Client.GetAsync("/api/incidents/INC-1"));
        Assert.Equal("stable", incident.GetProperty("status").GetString());
        Assert.Equal("U2", incident.GetProperty("commanderId").GetString());
        Assert.Equal("v2.3.1", incident.GetProperty("links")[0].GetProperty("targetId").GetString());
        var timeline = await TestBot.ReadSuccessAsync(await after.Client.GetAsync("/api/incidents/INC-1/timeline"));
        Assert.Equal(
            ["declared", "status_changed", "commander_changed", "action", "resource_linked"],
            timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var next = await after.DeclareAsync(new { title = "Another" });
        Assert.Equal("INC-2", next.GetProperty("id").GetString());
    }

    public void Dispose() => database.Dispose();
}
