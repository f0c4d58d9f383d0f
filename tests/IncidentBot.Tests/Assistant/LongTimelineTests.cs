using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

public sealed class LongTimelineTests : IAsyncLifetime
{
    private readonly IncidentWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task ATwoThousandMessageTimelineIsSummarisedInPartsAndSaysHowMuchWasRead()
    {
        var n = await world.DeclareAsync("Queue backlog in the notifications pipeline", Severity.Sev2, ["notifications"], IncidentWorld.Alice);
        long rollback = 0;
        long question = 0;
        var chatter = new[] { "still seeing lag on the consumer", "graph attached", "lag at 40k", "ack", "watching", "same here", "consumer group rebalanced" };
        for (var i = 0; i < 2_000; i++)
        {
            var text = i switch
            {
                1_000 => "Rolled back notifications-worker to v8.1.0",
                1_990 => "Does anyone know who owns the kafka quota config?",
                _ => $"{chatter[i % chatter.Length]} ({i})",
            };
            var id = await world.SayAsync(n, i % 2 == 0 ? IncidentWorld.Bob : IncidentWorld.Carol, text, step: TimeSpan.FromSeconds(2));
            rollback = i == 1_000 ? id : rollback;
            question = i == 1_990 ? id : question;
        }

        var summary = await world.Assistant.SummarizeAsync(n);

        Assert.Equal(2_001, summary.EntriesRead);
        Assert.Equal(5, summary.Parts);
        Assert.Contains("read 2001 timeline entries in 5 parts", summary.Text);
        Assert.Contains(summary.Done, line => line.Sources.Single().EntryId == rollback);
        Assert.Equal(question, Assert.Single(summary.OpenQuestions).Sources.Single().EntryId);
        Assert.True(summary.Text.Length < 10_000, $"The summary is {summary.Text.Length} characters.");
        await world.AssertCitationsPointAtRealEntriesAsync(summary.Citations);
    }

    [Fact]
    public void TheDigestKeepsBoundedListsWhateverItReads()
    {
        var digest = new TimelineDigest();
        for (var part = 0; part < 20; part++)
        {
            digest.Read([.. Enumerable.Range(part * 500, 500).Select(i => Message(i, i % 3 == 0 ? $"restarted pod {i}" : i % 3 == 1 ? $"why is pod {i} slow?" : $"checking pod {i}"))]);
        }

        Assert.Equal(10_000, digest.EntriesRead);
        Assert.Equal(20, digest.Parts);
        Assert.Equal(12, digest.Done.Count);
        Assert.True(digest.OpenQuestions.Count <= 5);
        Assert.Equal(3, digest.TryingNow.Count);
        Assert.Equal(9_999, digest.Done[^1].Id);
    }

    private static TimelineEntry Message(long id, string text) => new()
    {
        Id = id,
        IncidentNumber = 1,
        Kind = TimelineEntryKind.Message,
        OccurredAt = IncidentWorld.Now.AddSeconds(id),
        ActorId = id % 2 == 0 ? "U1" : "U2",
        Text = text,
        Slack = new SlackMessageSource("C1", $"{id}.000000", null, null, false),
    };
}
