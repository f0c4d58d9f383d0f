using IncidentBot.Assistant;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

public sealed class SummaryTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task TheSummaryNamesTheStateTheRollbackWhatIsBeingTriedAndTheOpenQuestion()
    {
        var summary = await world.Assistant.SummarizeAsync(world.Checkout);

        Assert.Equal(AssistantEngines.Deterministic, summary.Engine);
        Assert.Equal(IncidentStatus.Stable, summary.Incident.Status);
        Assert.Contains("Status **stable**", summary.Text);
        Assert.Contains("SEV-1", summary.Text);
        Assert.Contains($"<@{IncidentWorld.Alice}>", summary.Text);
        Assert.Equal(TimeSpan.FromMinutes(90), summary.Duration);
        Assert.Contains("open for 1 h 30 min", summary.Text);
        Assert.Contains("deterministic engine, no model", summary.Text);

        Assert.Contains(summary.Impact, line => line.Text.Contains("38% of checkout attempts fail"));
        Assert.Contains(summary.Done, line => line.Text.Contains("Rolled back checkout-api to v2.13.2")
            && line.Sources.Single().EntryId == world.CheckoutEntries["rollback"]);
        Assert.Contains(summary.Done, line => line.Text.Contains("Status changed from active to stable"));
        Assert.Contains(summary.Done, line => line.Text.Contains("Severity changed from SEV-2 to SEV-1"));
        var trying = Assert.Single(summary.TryingNow);
        Assert.Equal(world.CheckoutEntries["monitoring"], trying.Sources.Single().EntryId);

        var question = Assert.Single(summary.OpenQuestions);
        Assert.Contains("notify the card networks", question.Text);
        Assert.Equal(world.CheckoutEntries["card-networks"], question.Sources.Single().EntryId);
        Assert.DoesNotContain("Who's on call", summary.Text.Split("**Open questions**")[1]);
        Assert.DoesNotContain("Should we roll back?", summary.Text.Split("**Open questions**")[1]);
    }

    [Fact]
    public async Task EveryCitationOfTheSummaryPointsAtARealEntryOrTheIncident()
    {
        var summary = await world.Assistant.SummarizeAsync(world.Checkout);

        await world.AssertCitationsPointAtRealEntriesAsync(summary.Citations);
        var lines = summary.Impact.Concat(summary.Done).Concat(summary.TryingNow).Concat(summary.OpenQuestions).ToList();
        Assert.All(lines, line => Assert.NotEmpty(line.Sources));
        Assert.All(lines.SelectMany(l => l.Sources), source => Assert.Contains(source, summary.Citations));
        var slackSources = summary.Citations.Where(c => c.Permalink is not null).ToList();
        Assert.NotEmpty(slackSources);
        Assert.All(slackSources, c => Assert.Contains($"[{summary.Citations.ToList().IndexOf(c) + 1}]]({c.Permalink})", summary.Text));
    }

    [Fact]
    public async Task TheSummarySaysHowMuchWasRead()
    {
        var timeline = await world.Reader.GetTimelineAsync(world.Checkout, new());

        var summary = await world.Assistant.SummarizeAsync(world.Checkout);

        Assert.Equal(timeline.Count, summary.EntriesRead);
        Assert.Equal(1, summary.Parts);
        Assert.Contains($"read {timeline.Count} timeline entries in 1 part", summary.Text);
    }

    [Fact]
    public async Task AResolvedIncidentIsTriedNothingMoreAndItsDurationEndsAtItsResolution()
    {
        var summary = await world.Assistant.SummarizeAsync(world.EdgeDdos);

        Assert.Equal(IncidentStatus.Resolved, summary.Incident.Status);
        Assert.Empty(summary.TryingNow);
        Assert.Contains("Nothing: the incident is resolved.", summary.Text);
        Assert.Contains("resolved after", summary.Text);
        Assert.Contains(summary.Done, line => line.Text.Contains("Enabled the CDN's under-attack mode"));
        Assert.Contains(summary.Done, line => line.Text.Contains("Geo-blocked"));
        Assert.Empty(summary.OpenQuestions);
    }

    [Fact]
    public async Task AnUnknownIncidentIsNotFound()
    {
        await Assert.ThrowsAsync<IncidentNotFoundException>(() => world.Assistant.SummarizeAsync(999));
    }
}
