using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// New timeline entries are indexed for search in batches at the end of a write transaction, and what is pending before
/// each search (schema step 8, <see cref="SqliteSearchIndexing"/>), edits and deletes of indexed ones by triggers:
/// whatever a transaction did to a message, search shows its committed state.
/// </summary>
public sealed class SqliteSearchIndexTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase file = new();
    private SqliteDatabase database = null!;
    private SqliteIncidentStore store = null!;
    private SqliteIncidentSearch search = null!;
    private long number;

    public async Task InitializeAsync()
    {
        database = new SqliteDatabase(file.ConnectionString);
        await database.MigrateAsync();
        store = new SqliteIncidentStore(database);
        search = new SqliteIncidentSearch(database);
        number = (await store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout errors" }, Now))).Number;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        file.Dispose();
    }

    [Fact]
    public async Task AMessageAddedEditedAndDeletedInOneTransactionIsSearchedAsCommitted()
    {
        var release = await HoldTheWriterAsync();
        var writes = new List<Task>
        {
            store.AddMessageAsync(number, Message("1.000100", "suspect the memcached tier")),
            store.EditMessageAsync(number, Message("1.000100", "suspect the redis tier"), Now.AddMinutes(1)),
            store.AddMessageAsync(number, Message("1.000200", "restarted the zookeeper ensemble")),
            store.DeleteMessageAsync(number, Source("1.000200"), Now, Now.AddMinutes(2)),
        };
        release.SetResult();
        await Task.WhenAll(writes);

        Assert.Empty(await MatchAsync("memcached"));
        Assert.Equal("suspect the redis tier", Assert.Single(await MatchAsync("redis")).EntryText);
        Assert.Empty(await MatchAsync("zookeeper"));
    }

    [Fact]
    public async Task AnIndexedMessageIsReindexedWhenEditedAndLeavesWhenDeleted()
    {
        await store.AddMessageAsync(number, Message("2.000100", "failover to the standby database"));
        Assert.Single(await MatchAsync("standby"));

        await store.EditMessageAsync(number, Message("2.000100", "failover to the replica database"), Now.AddMinutes(1));
        Assert.Empty(await MatchAsync("standby"));
        Assert.Single(await MatchAsync("replica"));

        await store.DeleteMessageAsync(number, Source("2.000100"), Now, Now.AddMinutes(2));
        Assert.Empty(await MatchAsync("replica"));
    }

    [Fact]
    public async Task AWriteIndexesOnceABatchIsPendingAndASearchIndexesTheRest()
    {
        await store.AddMessagesAsync([.. Enumerable.Range(1, 300).Select(i => (number, Message($"4.{i:D6}", $"batch message {i}")))]);
        Assert.Equal(300, await IndexedMessagesAsync());

        await store.AddMessageAsync(number, Message("4.000301", "the lone grafana message"));
        Assert.Equal(300, await IndexedMessagesAsync());

        Assert.Single(await MatchAsync("grafana"));
        Assert.Equal(301, await IndexedMessagesAsync());
    }

    [Fact]
    public async Task MessagesIndexedBeforeTheUpgradeStayEditableInSearch()
    {
        await using var older = new SqliteDatabase(
            new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetDirectoryName(file.FilePath)!, "older.db") }.ToString(),
            [.. SqliteMigrations.All.Where(step => step.Version < 8)]);
        await older.MigrateAsync();
        var olderStore = new SqliteIncidentStore(older);
        var number = await OlderSchemaRows.InsertIncidentAsync(older, "Queue backlog", Severity.Unknown, Now);
        await olderStore.AddMessageAsync(number, Message("3.000100", "the kafka consumers are stuck"));

        await using var upgraded = new SqliteDatabase($"Data Source={older.DataSource}");
        await upgraded.MigrateAsync();
        var upgradedStore = new SqliteIncidentStore(upgraded);
        await upgradedStore.EditMessageAsync(number, Message("3.000100", "the rabbitmq consumers are stuck"), Now.AddMinutes(1));
        await upgradedStore.AddMessageAsync(number, Message("3.000200", "consumers restarted"));

        var upgradedSearch = new SqliteIncidentSearch(upgraded);
        Assert.Empty(await upgradedSearch.MatchAsync(SearchTerms.Of(["kafka"]), new IncidentFilter()));
        Assert.Single(await upgradedSearch.MatchAsync(SearchTerms.Of(["rabbitmq"]), new IncidentFilter()));
        Assert.Single(await upgradedSearch.MatchAsync(SearchTerms.Of(["restarted"]), new IncidentFilter()));
    }

    /// <summary>Keeps the writer inside a transaction until released, so the writes queued meanwhile share the next one.</summary>
    private async Task<TaskCompletionSource> HoldTheWriterAsync()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = database.WriteAsync(async (_, _) =>
        {
            entered.SetResult();
            await release.Task;
            return 0;
        });
        await entered.Task;
        return release;
    }

    private async Task<long> IndexedMessagesAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM timeline_entries WHERE kind = 'message' AND id <= (SELECT indexed_through FROM search_progress);";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyList<IncidentTextMatch>> MatchAsync(string word) =>
        [.. (await search.MatchAsync(SearchTerms.Of([word]), new IncidentFilter())).Where(match => match.EntryId is not null)];

    private static NewTimelineEntry Message(string ts, string text) =>
        new(TimelineEntryKind.Message, Now, "U0DAVE", text, Slack: Source(ts));

    private static SlackMessageSource Source(string ts) => new("C0CHECKOUT", ts, null, null, false);
}
