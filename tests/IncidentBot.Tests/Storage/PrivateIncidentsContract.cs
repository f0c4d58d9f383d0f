using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// What every provider must do for private incidents: keep the mark, and leave a private incident out of every read
/// for an audience that may not see it, while its members see it whole.
/// </summary>
public abstract class PrivateIncidentsContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    private static readonly IncidentAudience Outsider = IncidentAudience.PublicOnly;

    [SkippableFact]
    public async Task ThePrivateMarkSurvivesTheRoundTripAndFiltersBothWays()
    {
        var (open, secret) = await DeclareBothAsync();

        Assert.True((await Ports.Reader.GetAsync(secret.Number))!.IsPrivate);
        Assert.False((await Ports.Reader.GetAsync(open.Number))!.IsPrivate);
        Assert.Equal([secret.Number], Numbers(await Ports.Reader.FindAsync(new IncidentFilter { IsPrivate = true })));
        Assert.Equal([open.Number], Numbers(await Ports.Reader.FindAsync(new IncidentFilter { IsPrivate = false })));
    }

    [SkippableFact]
    public async Task AnAudienceFindsCountsSearchesAndFiguresOnlyWhatItSees()
    {
        var (open, secret) = await DeclareBothAsync();
        var member = IncidentAudience.MembersOf([secret.Number]);

        Assert.Equal([open.Number], Numbers(await Ports.Reader.FindAsync(new IncidentFilter { Audience = Outsider })));
        Assert.Equal([secret.Number, open.Number], Numbers(await Ports.Reader.FindAsync(new IncidentFilter { Audience = member })));
        Assert.Equal(1, await Ports.Reader.CountAsync(new IncidentFilter { Audience = Outsider }));
        Assert.Equal(2, await Ports.Reader.CountAsync(new IncidentFilter { Audience = member }));

        var words = SearchTerms.Of(["ledger"]);
        Assert.Empty(await Ports.Search.MatchAsync(words, new IncidentFilter { Audience = Outsider }));
        Assert.Equal([secret.Number], (await Ports.Search.MatchAsync(words, new IncidentFilter { Audience = member })).Select(m => m.Number));

        var window = (Now.AddDays(-1), Now.AddDays(1));
        Assert.Equal(1, (await Ports.Reader.GetStatsAsync(window.Item1, window.Item2, Outsider)).Total);
        Assert.Equal(2, (await Ports.Reader.GetStatsAsync(window.Item1, window.Item2, member)).Total);
        Assert.Equal(2, (await Ports.Reader.GetStatsAsync(window.Item1, window.Item2)).Total);
    }

    [SkippableFact]
    public async Task ThroughTheAudienceReaderAnOutsiderFindsNoTraceOfAPrivateIncident()
    {
        var (open, secret) = await DeclareBothAsync();
        var reader = new AudienceReader(Ports.Reader);
        var search = new AudienceSearch(Ports.Search);
        var entryIds = (await Ports.Reader.GetTimelineAsync(secret.Number, new TimelineQuery())).Select(e => e.Id).ToList();

        using (IncidentViewer.As(Outsider))
        {
            Assert.Null(await reader.GetAsync(secret.Number));
            Assert.Null(await reader.FindByChannelAsync("C0SECRET"));
            Assert.Empty(await reader.GetTimelineAsync(secret.Number, new TimelineQuery()));
            Assert.Empty(await reader.GetEntriesAsync(entryIds));
            Assert.Empty(await reader.GetChangesAfterAsync(secret.Number, 0));
            Assert.Equal(0, await reader.CountMessagesAsync(secret.Number));
            Assert.Equal([open.Number], Numbers(await reader.FindAsync(new IncidentFilter())));
            Assert.Empty(await search.MatchAsync(SearchTerms.Of(["ledger"]), new IncidentFilter()));
            Assert.Equal(1, (await reader.GetStatsAsync(Now.AddDays(-1), Now.AddDays(1))).Total);
            Assert.Equal([open.Number], (await reader.GetLastUpdatesAsync([open.Number, secret.Number])).Keys);
        }

        using (IncidentViewer.As(IncidentAudience.MembersOf([secret.Number])))
        {
            Assert.NotNull(await reader.GetAsync(secret.Number));
            Assert.Equal(entryIds, (await reader.GetEntriesAsync(entryIds)).Select(e => e.Id));
            Assert.Equal(2, (await reader.GetStatsAsync(Now.AddDays(-1), Now.AddDays(1))).Total);
        }

        Assert.NotNull(await reader.GetAsync(secret.Number)); // The bot's own work sees everything.
    }

    [SkippableFact]
    public async Task AServiceOnlyAPrivateIncidentHasIsListedOnlyForItsMembers()
    {
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout errors", Services = ["checkout-api"] }, Now));
        var secret = await Ports.Store.CreateAsync(IncidentChanges.Declare(
            new IncidentDraft { Title = "Ledger mismatch in payroll", Services = ["checkout-api", "payroll-ledger"], IsPrivate = true }, Now));
        var reader = new AudienceReader(Ports.Reader);

        Assert.Equal(["checkout-api"], await Ports.Reader.GetServiceNamesAsync(Outsider));
        using (IncidentViewer.As(Outsider))
        {
            Assert.Equal(["checkout-api"], await reader.GetServiceNamesAsync());
        }

        using (IncidentViewer.As(IncidentAudience.MembersOf([secret.Number])))
        {
            Assert.Equal(["checkout-api", "payroll-ledger"], await reader.GetServiceNamesAsync());
        }

        Assert.Equal(["checkout-api", "payroll-ledger"], await reader.GetServiceNamesAsync()); // The bot's own work sees everything.
    }

    private async Task<(Incident Open, Incident Secret)> DeclareBothAsync()
    {
        var open = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout errors" }, Now));
        var secret = await Ports.Store.CreateAsync(IncidentChanges.Declare(
            new IncidentDraft { Title = "Ledger mismatch in payroll", IsPrivate = true }, Now));
        await Ports.Store.SetChannelAsync(secret.Number, "C0SECRET", "inc-2-ledger");
        return (open, secret);
    }

    private static long[] Numbers(IEnumerable<Incident> incidents) => [.. incidents.Select(i => i.Number)];
}

public sealed class SqlitePrivateIncidentsTests : PrivateIncidentsContract<SqliteStorage>;

public sealed class PostgresPrivateIncidentsTests : PrivateIncidentsContract<PostgresStorage>;
