using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

/// <summary>What every provider's <see cref="IIncidentSearch"/> must find, and the reads the assistant relies on.</summary>
public abstract class IncidentSearchContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task WordsInTitleServicesDetailsAndMessagesAreFound()
    {
        var ddos = await DeclareAsync("DDoS on the edge proxies", ["edge-proxy"], "Traffic flood from a botnet");
        var checkout = await DeclareAsync("Checkout failing", ["payments-api"]);
        await MessageAsync(checkout.Number, "1", "Seeing card declines from the acquirer");

        Assert.Equal([ddos.Number], await MatchNumbersAsync("ddos attacks"));
        Assert.Equal([ddos.Number], await MatchNumbersAsync("proxy"));
        Assert.Equal([ddos.Number], await MatchNumbersAsync("botnet"));
        Assert.Equal([checkout.Number], await MatchNumbersAsync("payments"));
        var byMessage = Assert.Single(await Ports.Search.MatchAsync(SearchTerms.Of(["acquirer"]), new IncidentFilter()));
        Assert.Equal(checkout.Number, byMessage.Number);
        Assert.NotNull(byMessage.EntryId);
        Assert.Contains("acquirer", byMessage.EntryText);
    }

    [SkippableFact]
    public async Task AnEditedMessageIsFoundByItsNewTextOnlyAndADeletedOneNotAtAll()
    {
        var incident = await DeclareAsync("Search latency", ["Ports.Search"]);
        await MessageAsync(incident.Number, "1", "the elasticsearch cluster is yellow");
        await MessageAsync(incident.Number, "2", "rebalancing shards now");

        await Ports.Store.EditMessageAsync(incident.Number, Message("1", "the opensearch cluster is yellow"), Now.AddMinutes(5));
        await Ports.Store.DeleteMessageAsync(incident.Number, new SlackMessageSource("C1", "2", null, null, false), Now, Now.AddMinutes(6));

        Assert.Empty(await MatchNumbersAsync("elasticsearch"));
        Assert.Equal([incident.Number], await MatchNumbersAsync("opensearch"));
        Assert.Empty(await MatchNumbersAsync("shards"));
        Assert.Equal(1, await Ports.Reader.CountMessagesAsync(incident.Number));
    }

    [SkippableFact]
    public async Task ChangedTitlesAndServicesAreReindexed()
    {
        var incident = await DeclareAsync("Slow pages", ["web"]);

        await Ports.Store.UpdateAsync(incident.Number, current => IncidentChanges.Apply(
            current, new IncidentEdit { Title = "Redis eviction storm", AddServices = ["cache"], RemoveServices = ["web"] }, "U1", Now.AddMinutes(1)));

        Assert.Empty(await MatchNumbersAsync("slow"));
        Assert.Empty(await MatchNumbersAsync("web"));
        Assert.Equal([incident.Number], await MatchNumbersAsync("redis"));
        Assert.Equal([incident.Number], await MatchNumbersAsync("cache"));
    }

    [SkippableTheory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b, 2)")]
    [InlineData("* OR -")]
    [InlineData("title:ddos AND NOT ^x")]
    [InlineData("🔥💳 checkout 🔥")]
    [InlineData("a\"b\"\"c")]
    [InlineData("AND OR NOT")]
    [InlineData("(((")]
    public async Task HostileWordsNeverBreakTheQuery(string text)
    {
        await DeclareAsync("Checkout failing", ["payments-api"]);

        var fromText = await Ports.Search.MatchAsync(SearchTerms.Of([text]), new IncidentFilter());
        var raw = await Ports.Search.MatchAsync(SearchTerms.Of(text.Split(' ')), new IncidentFilter());

        Assert.NotNull(fromText);
        Assert.NotNull(raw);
    }

    [SkippableFact]
    public async Task TheWindowKeepsIncidentsOpenAtSomeMomentInIt()
    {
        var old = await DeclareAsync("Old and resolved", ["db"], at: Now.AddDays(-10));
        await Ports.Store.UpdateAsync(old.Number, c => IncidentChanges.Apply(c, new IncidentEdit { Status = IncidentStatus.Resolved }, "U1", Now.AddDays(-9)));
        var longRunning = await DeclareAsync("Long running", ["db"], at: Now.AddDays(-10));
        var recent = await DeclareAsync("Recent", ["db"], at: Now.AddHours(-1));

        var found = await Ports.Reader.FindAsync(new IncidentFilter { ActiveFrom = Now.AddDays(-7), ActiveUntil = Now });

        Assert.Equal([recent.Number, longRunning.Number], found.Select(i => i.Number));
        Assert.Equal(["db"], found[0].Services);
        Assert.Equal(3, await Ports.Reader.CountAsync(new IncidentFilter { Services = ["db"] }));
        Assert.Equal(["db"], await Ports.Reader.GetServiceNamesAsync());
    }

    [SkippableFact]
    public async Task DraftsGetTheNextVersionWithTheirEntryAndAreListedLatestFirst()
    {
        var incident = await DeclareAsync("Drafted", ["db"]);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Ports.Store.AddPostmortemDraftAsync(
            incident.Number, $"draft {i}", "U1", Now, d => new NewTimelineEntry(TimelineEntryKind.PostmortemDrafted, Now, "U1", $"draft {d.Version}"))));

        var listed = await Ports.Reader.GetPostmortemDraftsAsync(incident.Number);
        Assert.Equal([5, 4, 3, 2, 1], listed.Select(d => d.Version));
        Assert.Empty(await Ports.Reader.GetPostmortemDraftsAsync(incident.Number + 1));
        var entries = (await Ports.Reader.GetTimelineAsync(incident.Number, new())).Where(e => e.Kind == TimelineEntryKind.PostmortemDrafted);
        Assert.Equal(["draft 1", "draft 2", "draft 3", "draft 4", "draft 5"], entries.Select(e => e.Text).Order());
        Assert.Equal(6, (await Ports.Reader.GetAsync(incident.Number))!.Version);
    }

    private async Task<Incident> DeclareAsync(string title, string[] services, string? description = null, DateTimeOffset? at = null) =>
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = title, Services = services, Description = description }, at ?? Now));

    private Task MessageAsync(long number, string ts, string text) => Ports.Store.AddMessageAsync(number, Message(ts, text));

    private static NewTimelineEntry Message(string ts, string text) =>
        new(TimelineEntryKind.Message, Now.AddMinutes(1), "U1", text, Slack: new SlackMessageSource("C1", ts, null, null, false));

    private async Task<IReadOnlyList<long>> MatchNumbersAsync(string text) =>
        (await Ports.Search.MatchAsync(SearchTerms.Of(SearchTerms.SplitWords(text)), new IncidentFilter())).Select(m => m.Number).ToList();
}

public sealed class SqliteIncidentSearchTests : IncidentSearchContract<SqliteStorage>;

public sealed class PostgresIncidentSearchTests : IncidentSearchContract<PostgresStorage>;
