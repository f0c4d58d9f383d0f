using IncidentBot.Tests.Support;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentBot.Tests.Alerts;

/// <summary>When customers started to feel it, from REST and alerts, and the time to detect in the stats.</summary>
public sealed class ImpactStartTests : IAsyncLifetime
{
    private AlertTestBot alerts = null!;

    public async Task InitializeAsync() => alerts = await AlertTestBot.StartAsync();

    public async Task DisposeAsync() => await alerts.DisposeAsync();

    [Fact]
    public async Task TheImpactStartIsSetWhenDeclaringAndChangedWithATimelineEntry()
    {
        var declared = await alerts.Bot.DeclareAsync(new { title = "Checkout failing", severity = "SEV-1", impactStartedAt = "2026-11-02T08:40:00Z" });
        Assert.Equal("2026-11-02T08:40:00Z", declared.GetProperty("impactStartedAt").GetString());
        Assert.Equal(1200, declared.GetProperty("timeToDetectSeconds").GetDouble());

        var patched = await alerts.PatchAsync(1, new { impactStartedAt = "PT30M" });

        Assert.Equal("2026-11-02T08:30:00Z", patched.GetProperty("impactStartedAt").GetString());
        var entry = (await alerts.TimelineAsync(1)).Last();
        Assert.Equal("details_changed", entry.GetProperty("type").GetString());
        Assert.Equal("Impact start: 2026-11-02 08:30 UTC", entry.GetProperty("text").GetString());
        Assert.Equal("impactStartedAt", entry.GetProperty("data").GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnImpactStartInTheFutureOrNotATimeIsA400()
    {
        await alerts.Bot.DeclareAsync(new { title = "Checkout failing" });

        var future = await alerts.Bot.Client.PatchAsJsonAsync("/api/incidents/1", new { impactStartedAt = "2026-11-02T10:00:00Z" });
        var notATime = await alerts.Bot.Client.PostAsJsonAsync("/api/incidents", new { title = "x", impactStartedAt = "this morning" });

        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("in the future", await future.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notATime.StatusCode);
        Assert.Contains("impactStartedAt", await notATime.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnEarlierAlertMovesTheImpactStartBackAndALaterOneDoesNot()
    {
        await alerts.Bot.DeclareAsync(new { title = "Payments failing", services = new[] { "payments" }, impactStartedAt = "2026-11-02T08:50:00Z" });

        await alerts.GenericAsync(new { source = "grafana", id = "late", title = "Later alert", services = new[] { "payments" }, status = "firing", startedAt = "2026-11-02T08:55:00Z" });
        Assert.Equal("2026-11-02T08:50:00Z", (await alerts.IncidentAsync(1)).GetProperty("impactStartedAt").GetString());

        await alerts.GenericAsync(new { source = "grafana", id = "early", title = "Earlier alert", services = new[] { "payments" }, status = "firing", startedAt = "2026-11-02T08:20:00Z" });
        Assert.Equal("2026-11-02T08:20:00Z", (await alerts.IncidentAsync(1)).GetProperty("impactStartedAt").GetString());
    }

    [Fact]
    public async Task StatsGiveTheMeanTimeToDetectAndTheFrequencyPerWeekAndMonthBySeverity()
    {
        // 20 and 40 minutes from impact to declaration; one without an impact start is not counted.
        await alerts.Bot.DeclareAsync(new { title = "A", severity = "SEV-1", impactStartedAt = "2026-11-02T08:40:00Z" });
        await alerts.Bot.DeclareAsync(new { title = "B", severity = "SEV-2", impactStartedAt = "2026-11-02T08:20:00Z" });
        await alerts.Bot.DeclareAsync(new { title = "C", severity = "SEV-2" });
        alerts.Clock.Advance(TimeSpan.FromDays(7));
        await alerts.Bot.DeclareAsync(new { title = "D", severity = "SEV-3" });

        var stats = await TestBot.ReadSuccessAsync(await alerts.Bot.Client.GetAsync("/api/stats?since=2026-10-20T00:00:00Z"));

        Assert.Equal(1800, stats.GetProperty("mttdSeconds").GetDouble());
        Assert.Equal("PT30M", stats.GetProperty("mttd").GetString());
        var weeks = stats.GetProperty("frequency").GetProperty("perWeek").EnumerateArray()
            .ToDictionary(w => w.GetProperty("start").GetString()!, w => w);
        Assert.Equal(["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"], weeks.Keys);
        Assert.Equal(3, weeks["2026-11-02"].GetProperty("total").GetInt32());
        Assert.Equal(2, weeks["2026-11-02"].GetProperty("bySeverity").GetProperty("SEV-2").GetInt32());
        Assert.Equal(1, weeks["2026-11-09"].GetProperty("bySeverity").GetProperty("SEV-3").GetInt32());
        Assert.Equal(0, weeks["2026-10-26"].GetProperty("total").GetInt32());
        var months = stats.GetProperty("frequency").GetProperty("perMonth").EnumerateArray().ToList();
        Assert.Equal(["2026-10-01", "2026-11-01"], months.Select(m => m.GetProperty("start").GetString()));
        Assert.Equal(4, months[1].GetProperty("total").GetInt32());
        Assert.Equal(1, months[1].GetProperty("bySeverity").GetProperty("SEV-1").GetInt32());
    }

    [Fact]
    public async Task WithNoImpactStartKnownThereIsNoMttd()
    {
        await alerts.Bot.DeclareAsync(new { title = "A" });

        var stats = await TestBot.ReadSuccessAsync(await alerts.Bot.Client.GetAsync("/api/stats"));

        Assert.Equal(JsonValueKind.Null, stats.GetProperty("mttdSeconds").ValueKind);
    }
}
