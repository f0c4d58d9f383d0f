using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's Slack channel progress and embedding stores must keep.</summary>
public abstract class ProgressAndEmbeddingsContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task ChannelProgressIsKeptAndReplaced()
    {
        var incident = await DeclareAsync("Synced", channel: "C1");
        var state = new SlackSyncState(incident.Number)
        {
            CardTs = "1700000000.000100",
            CardVersion = 1,
            Topic = "SEV-2 · active",
            LinesThroughEntryId = 7,
            AnnouncedThroughEntryId = 5,
            Attempts = 2,
            NextAttemptAt = Now.AddSeconds(30),
            LastError = "ratelimited",
        };

        await Ports.Sync.SaveAsync(state);
        await Ports.Sync.SaveAsync(state with { Attempts = 0, LastError = null });

        Assert.Equal(state with { Attempts = 0, LastError = null }, await Ports.Sync.GetAsync(incident.Number));
        Assert.Null(await Ports.Sync.GetAsync(incident.Number + 1));
    }

    [SkippableFact]
    public async Task AChannelIsBehindUntilItsCardAndLinesHaveCaughtUp()
    {
        var withoutChannel = await DeclareAsync("No channel yet");
        var told = await DeclareAsync("Told", channel: "C2");
        var untold = await DeclareAsync("Untold", channel: "C3");
        var timeline = await Ports.Reader.GetTimelineAsync(told.Number, new TimelineQuery());
        await Ports.Sync.SaveAsync(new SlackSyncState(told.Number) { CardVersion = told.Version, LinesThroughEntryId = timeline[^1].Id });

        Assert.Equal([withoutChannel.Number, untold.Number], await Ports.Sync.ListBehindAsync(10));

        await Ports.Store.UpdateAsync(told.Number, current => IncidentChanges.Apply(current, new IncidentEdit { Severity = Severity.Sev1 }, "U1", Now));

        Assert.Equal([withoutChannel.Number, told.Number, untold.Number], await Ports.Sync.ListBehindAsync(10));
    }

    [SkippableFact]
    public async Task EmbeddingsAreKeptPerModelAndReplaced()
    {
        var first = await DeclareAsync("Embedded");
        var second = await DeclareAsync("Also embedded");

        await Ports.Embeddings.SaveAsync("small", [new(first.Number, "h1", new float[] { 0.5f, -1.25f }), new(second.Number, "h2", new float[] { 1f, 0f })], Now);
        await Ports.Embeddings.SaveAsync("small", [new(first.Number, "h3", new float[] { 0.25f, 2f, 3f })], Now);
        await Ports.Embeddings.SaveAsync("large", [new(first.Number, "h4", new float[] { 9f })], Now);

        var small = await Ports.Embeddings.GetAsync("small", [first.Number, second.Number, second.Number + 1]);
        Assert.Equal([first.Number, second.Number], small.Keys.Order());
        Assert.Equal("h3", small[first.Number].TextHash);
        Assert.Equal(new float[] { 0.25f, 2f, 3f }, small[first.Number].Vector.ToArray());
        Assert.Equal(new float[] { 1f, 0f }, small[second.Number].Vector.ToArray());
        var large = await Ports.Embeddings.GetAsync("large", [first.Number]);
        Assert.Equal(new float[] { 9f }, large[first.Number].Vector.ToArray());
        Assert.Empty(await Ports.Embeddings.GetAsync("small", []));
    }

    private async Task<Incident> DeclareAsync(string title, string? channel = null)
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = title }, Now));
        return channel is null ? incident : await Ports.Store.SetChannelAsync(incident.Number, channel, $"incident-{incident.Number}");
    }
}

public sealed class SqliteProgressAndEmbeddingsTests : ProgressAndEmbeddingsContract<SqliteStorage>;

public sealed class PostgresProgressAndEmbeddingsTests : ProgressAndEmbeddingsContract<PostgresStorage>;
