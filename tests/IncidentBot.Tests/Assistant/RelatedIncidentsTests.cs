using IncidentBot.Assistant;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

/// <summary>Related incidents rank alike on every storage provider.</summary>
public abstract class RelatedIncidentsContract<TWorld>(TWorld world) : IClassFixture<TWorld>
    where TWorld : IncidentWorld
{
    [SkippableFact]
    public async Task TheIncidentSharingServicesAndWordsRanksFirstAndSaysWhy()
    {
        var related = await world.Assistant.FindRelatedAsync(world.Checkout);

        Assert.Equal(AssistantEngines.Deterministic, related.Engine);
        Assert.Equal([world.PaymentTimeouts, world.LoginSlow], related.Hits.Select(h => h.Incident.Number));
        var first = related.Hits[0];
        Assert.Contains(first.Reasons, r => r.Text == "shares services: payments-api");
        Assert.Contains(first.Reasons, r => r.Text.StartsWith("title mentions", StringComparison.Ordinal) && r.Text.Contains("“checkout”"));
        Assert.Contains(first.Reasons, r => r.Text.Contains("connection pool problem") && r.Sources.Single().Permalink is not null);
        Assert.True(first.Score > related.Hits[1].Score);
        Assert.Contains(related.Hits[1].Reasons, r => r.Text.Contains("no shared words or services"));
        Assert.Contains("deterministic engine, no model", related.Text);
        Assert.All(related.Text.Split('\n').Where(l => l.StartsWith("- **INC-", StringComparison.Ordinal)), line => Assert.Matches(@"\[\d+\]$", line));
        await world.AssertCitationsPointAtRealEntriesAsync(related.Citations);
    }

    [SkippableFact]
    public async Task ByDefaultOnlyIncidentsOpenInThePastTwoHoursAreConsidered()
    {
        var related = await world.Assistant.FindRelatedAsync(world.Checkout);

        Assert.Equal(IncidentWorld.Now.AddHours(-2), related.Since);
        Assert.DoesNotContain(related.Hits, h => h.Incident.Number == world.CardsDeclined);
        Assert.DoesNotContain(related.Hits, h => h.Incident.Number == world.Checkout);
    }

    [SkippableFact]
    public async Task AQueryWithATimeFrameFindsActiveAndResolvedIncidentsInIt()
    {
        var pastMonth = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "DDOS attacks", Since: IncidentWorld.Now.AddDays(-30)));
        var allHistory = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "DDOS attacks"));

        var hit = Assert.Single(pastMonth.Hits);
        Assert.Equal(world.GatewayDdos, hit.Incident.Number);
        Assert.Equal(IncidentStatus.Resolved, hit.Incident.Status);
        Assert.Contains(hit.Reasons, r => r.Text.Contains("“ddos”"));
        Assert.Equal([world.GatewayDdos, world.EdgeDdos], allHistory.Hits.Select(h => h.Incident.Number).Order().Reverse());
        await world.AssertCitationsPointAtRealEntriesAsync(allHistory.Citations);
    }

    [SkippableFact]
    public async Task AHitFoundByATimelineMessageCitesThatMessage()
    {
        var related = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "botnet"));

        Assert.Equal([world.GatewayDdos, world.EdgeDdos], related.Hits.Select(h => h.Incident.Number).Order().Reverse());
        foreach (var hit in related.Hits)
        {
            var reason = Assert.Single(hit.Reasons, r => r.Text.StartsWith("timeline entry", StringComparison.Ordinal));
            var source = Assert.Single(reason.Sources);
            var entry = await world.EntryAsync(hit.Incident.Number, source.EntryId!.Value);
            Assert.Contains("botnet", entry.Text);
            Assert.Equal(entry.Slack!.Permalink, source.Permalink);
        }
    }

    [SkippableFact]
    public async Task WordsThatMatchNothingSaySo()
    {
        var related = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "kubernetes etcd quorum"));

        Assert.Empty(related.Hits);
        Assert.Contains("No incident matches those words.", related.Text);
        Assert.Empty(related.Citations);
    }

    [SkippableTheory]
    [InlineData("\"DDOS")]
    [InlineData("DDOS NEAR/2 attack")]
    [InlineData("NEAR(ddos attack)")]
    [InlineData("ddos*")]
    [InlineData("-ddos")]
    [InlineData("title:ddos OR services:cdn")]
    [InlineData("\"\"\"")]
    [InlineData("🔥 ddos 💥")]
    [InlineData("AND OR NOT NEAR")]
    [InlineData("^ddos + {attack}")]
    [InlineData("Ddös ättack — “quoted” «text»")]
    public async Task HostileQueryTextNeverThrows(string query)
    {
        var related = await world.Assistant.FindRelatedAsync(new RelatedRequest(world.Checkout, query));
        var answer = await world.Assistant.AnswerAsync($"find me incidents related to {query} from the past year");
        var search = await world.Assistant.AnswerAsync(query);

        Assert.NotNull(related.Text);
        Assert.NotNull(answer.Text);
        Assert.NotNull(search.Text);
        if (query.Contains("ddos", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Contains(related.Hits, h => h.Incident.Number == world.GatewayDdos);
        }
    }
}

public sealed class RelatedIncidentsTests(IncidentWorld world) : RelatedIncidentsContract<IncidentWorld>(world);

public sealed class PostgresRelatedIncidentsTests(PostgresIncidentWorld world) : RelatedIncidentsContract<PostgresIncidentWorld>(world);
