using IncidentBot.Incidents;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's <see cref="IIncidentStore.ImportAsync"/> must do.</summary>
public abstract class IncidentImportContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task AnImportedIncidentKeepsItsNumberAndTimelineIsSearchableAndLaterDeclarationsNumberPastIt()
    {
        var result = await Ports.Store.ImportAsync(Import("C1", 42, Message("C1", 0, "the memcached tier is thrashing", edited: true), Message("C1", 60, "restarted it")));

        Assert.True(result.Created);
        Assert.False(result.Renumbered);
        Assert.Equal((42L, 2), (result.Incident.Number, result.MessagesAdded));
        var stored = (await Ports.Reader.GetAsync(42))!;
        Assert.Equal(("Cache thrashing", IncidentStatus.Resolved, Now.AddMinutes(1), 2L), (stored.Title, stored.Status, stored.ResolvedAt, stored.Version));
        var timeline = await Ports.Reader.GetTimelineAsync(42, new TimelineQuery());
        Assert.Equal(
            [TimelineEntryKind.Declared, TimelineEntryKind.Message, TimelineEntryKind.Message, TimelineEntryKind.StatusChanged],
            timeline.Select(e => e.Kind));
        Assert.Equal(Now.AddMinutes(5), timeline[1].EditedAt);
        Assert.Equal("Ann", timeline[1].Data!["author"]!.GetValue<string>());
        Assert.Equal([42L], (await Ports.Search.MatchAsync(SearchTerms.Of(["memcached"]), new IncidentFilter())).Select(m => m.Number));
        Assert.Equal([42L], (await Ports.Search.MatchAsync(SearchTerms.Of(["thrashing"]), new IncidentFilter())).Select(m => m.Number));
        Assert.Equal(43, (await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Next" }, Now))).Number);
        Assert.Equal(
            [(DoraEventKind.Declared, Now), (DoraEventKind.Resolved, Now.AddMinutes(1))],
            (await Ports.Dora.ListAsync(Now.AddDays(-1), 10)).Where(e => e.IncidentNumber == 42).Select(e => (e.Event, e.OccurredAt)));
    }

    [SkippableFact]
    public async Task ImportingAChannelAgainAddsOnlyTheMessagesItLacks()
    {
        var first = await Ports.Store.ImportAsync(Import("C1", null, Message("C1", 0, "first")));

        var again = await Ports.Store.ImportAsync(Import("C1", null, Message("C1", 0, "first"), Message("C1", 30, "second")));
        var once = await Ports.Store.ImportAsync(Import("C1", null, Message("C1", 0, "first"), Message("C1", 30, "second")));

        Assert.Equal((false, first.Incident.Number, 1), (again.Created, again.Incident.Number, again.MessagesAdded));
        Assert.Equal((false, 0), (once.Created, once.MessagesAdded));
        Assert.Equal(1, await Ports.Reader.CountAsync(new IncidentFilter()));
        Assert.Equal(2, await Ports.Reader.CountMessagesAsync(first.Incident.Number));
        Assert.Equal(2, (await Ports.Reader.GetAsync(first.Incident.Number))!.Version);
    }

    [SkippableFact]
    public async Task ANumberAnotherIncidentHasGivesTheNextOne()
    {
        var live = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Live" }, Now));

        var imported = await Ports.Store.ImportAsync(Import("C1", live.Number, Message("C1", 0, "first")));

        Assert.True(imported.Renumbered);
        Assert.Equal(live.Number + 1, imported.Incident.Number);
        Assert.Equal("Live", (await Ports.Reader.GetAsync(live.Number))!.Title);
    }

    [SkippableFact]
    public async Task TheIncidentDeclaredInTheChannelGetsTheMessagesItMissed()
    {
        var live = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Live" }, Now));
        await Ports.Store.SetChannelAsync(live.Number, "C1", "incident-1-live");
        await Ports.Store.AddMessageAsync(live.Number, Message("C1", 0, "seen live").Entry);

        var imported = await Ports.Store.ImportAsync(Import("C1", 7, Message("C1", 0, "seen live"), Message("C1", 10, "missed while down")));

        Assert.Equal((false, live.Number, 1), (imported.Created, imported.Incident.Number, imported.MessagesAdded));
        Assert.Equal(IncidentStatus.Active, (await Ports.Reader.GetAsync(live.Number))!.Status);
        Assert.Null(await Ports.Reader.GetAsync(7));
    }

    [SkippableFact]
    public async Task AnImportThatFailsPartWayWritesNothing()
    {
        var broken = new ImportedMessage(new NewTimelineEntry(TimelineEntryKind.Message, Now, "U1", "no Slack source"));

        await Assert.ThrowsAsync<ArgumentException>(() => Ports.Store.ImportAsync(Import("C1", 5, Message("C1", 0, "fine"), broken)));

        Assert.Equal(0, await Ports.Reader.CountAsync(new IncidentFilter()));
        Assert.Null(await Ports.Reader.FindNumberByChannelAsync("C1"));
        Assert.Equal(1, (await Ports.Store.ImportAsync(Import("C1", 5, Message("C1", 0, "fine")))).MessagesAdded);
    }

    private static IncidentImport Import(string channel, long? number, params ImportedMessage[] messages) => new(
        IncidentChanges.DeclareResolved(
            new IncidentDraft { Title = "Cache thrashing", DeclaredBy = "U1" }, messages[0].Entry.OccurredAt, messages[^1].Entry.OccurredAt),
        number,
        channel,
        messages);

    private static ImportedMessage Message(string channel, int seconds, string text, bool edited = false)
    {
        var at = Now.AddSeconds(seconds);
        var ts = SlackTs.FromDateTimeOffset(at).Value;
        return new ImportedMessage(
            new NewTimelineEntry(TimelineEntryKind.Message, at, "U1", text, new System.Text.Json.Nodes.JsonObject { ["author"] = "Ann" },
                new SlackMessageSource(channel, ts, null, null, false)),
            edited ? Now.AddMinutes(5) : null);
    }
}

public sealed class SqliteIncidentImportTests : IncidentImportContract<SqliteStorage>;

public sealed class PostgresIncidentImportTests : IncidentImportContract<PostgresStorage>;
