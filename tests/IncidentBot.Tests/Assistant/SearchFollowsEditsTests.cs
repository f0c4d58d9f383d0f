using IncidentBot.Assistant;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

public abstract class SearchFollowsEditsContract<TWorld> : IAsyncLifetime
    where TWorld : IncidentWorld, new()
{
    private readonly TWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [SkippableFact]
    public async Task AnEditedMessageIsFoundByItsNewWordsAndNoLongerByItsOldOnes()
    {
        var id = await world.SayAsync(world.LoginSlow, IncidentWorld.Dave, "suspect the memcached tier in eu-west-1");
        var entry = await world.EntryAsync(world.LoginSlow, id);

        await world.Incidents.RecordMessageEditAsync(
            world.LoginSlow,
            new NewTimelineEntry(TimelineEntryKind.Message, entry.OccurredAt, entry.ActorId, "suspect the redis tier in eu-west-1", Slack: entry.Slack),
            world.Clock.GetUtcNow());

        Assert.Empty((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "memcached"))).Hits);
        var hit = Assert.Single((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "redis"))).Hits);
        Assert.Equal(world.LoginSlow, hit.Incident.Number);
        Assert.Contains(hit.Reasons, r => r.Sources.Any(s => s.EntryId == id));
    }

    [SkippableFact]
    public async Task ADeletedMessageLeavesSearchAndTheSummary()
    {
        var id = await world.SayAsync(world.LoginSlow, IncidentWorld.Dave, "Restarted the zookeeper ensemble");
        Assert.Single((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "zookeeper"))).Hits);
        var entry = await world.EntryAsync(world.LoginSlow, id);

        await world.Incidents.RecordMessageDeletionAsync(world.LoginSlow, entry.Slack!, entry.OccurredAt, world.Clock.GetUtcNow());

        Assert.Empty((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "zookeeper"))).Hits);
        var summary = await world.Assistant.SummarizeAsync(world.LoginSlow);
        Assert.DoesNotContain("zookeeper", summary.Text);
        Assert.DoesNotContain(summary.Citations, c => c.EntryId == id);
    }

    [SkippableFact]
    public async Task ARetitledIncidentIsFoundByItsNewTitle()
    {
        await world.EditAsync(world.LoginSlow, new IncidentEdit { Title = "SSO provider outage in the EU" }, IncidentWorld.Dave);

        var hit = Assert.Single((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "SSO"))).Hits);
        Assert.Equal(world.LoginSlow, hit.Incident.Number);
        Assert.Empty((await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "login"))).Hits);
    }
}

public sealed class SearchFollowsEditsTests : SearchFollowsEditsContract<IncidentWorld>;

public sealed class PostgresSearchFollowsEditsTests : SearchFollowsEditsContract<PostgresIncidentWorld>;
