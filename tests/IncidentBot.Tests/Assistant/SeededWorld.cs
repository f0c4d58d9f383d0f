using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

/// <summary>
/// A running IncidentBot on a clock the history sets, with the ways to write that history as responders do:
/// declare, Slack messages (through <see cref="IncidentService.RecordMessageAsync"/>, as the Slack side stores them),
/// posts and edits, each moving the clock on a minute. A world writes its history in <see cref="SeedAsync"/>.
/// On SQLite unless a world names another <see cref="StorageProvider"/>.
/// </summary>
public abstract class SeededWorld(DateTimeOffset start, StorageProvider? storageProvider = null) : IAsyncLifetime
{
    public const string Alice = "U0ALICE";
    public const string Bob = "U0BOB";
    public const string Carol = "U0CAROL";
    public const string Dave = "U0DAVE";
    public const string Erin = "U0ERIN";
    public const string DatadogBot = "B0DATADOG";

    private readonly StorageProvider storage = storageProvider ?? new SqliteStorage();

    public ManualClock Clock { get; } = new(start);

    public TestBot Bot { get; private set; } = null!;

    public IncidentService Incidents => Bot.App.Services.GetRequiredService<IncidentService>();

    public IIncidentReader Reader => Bot.App.Services.GetRequiredService<IIncidentReader>();

    public IncidentAssistant Assistant => Bot.App.Services.GetRequiredService<IncidentAssistant>();

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        Bot = await TestBot.StartAsync(
            storage.Settings["Storage:ConnectionString"]!, Clock, Settings is { } extra ? new Dictionary<string, string?>(storage.Settings.Concat(extra)) : storage.Settings);
        await SeedAsync();
    }

    /// <summary>Configuration added to the test bot's, e.g. to turn a feature on.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task DisposeAsync()
    {
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
        }

        await storage.DisposeAsync();
    }

    protected abstract Task SeedAsync();

    public void SetClock(DateTimeOffset at) => Clock.Advance(at - Clock.GetUtcNow());

    public async Task<long> DeclareAsync(
        string title, Severity severity, string[] services, string by, string? impact = null, string? description = null, DateTimeOffset? impactStartedAt = null) =>
        (await Incidents.DeclareAsync(new IncidentDraft
        {
            Title = title,
            Severity = severity,
            Services = services,
            DeclaredBy = by,
            CommanderId = by,
            CustomerImpact = impact,
            Description = description,
            ImpactStartedAt = impactStartedAt,
        })).Number;

    /// <summary>A Slack message in the incident's channel at the clock's time; the clock then moves on a minute.</summary>
    public async Task<long> SayAsync(long number, string user, string text, long? inThreadOf = null, bool bot = false, TimeSpan? step = null)
    {
        var now = Clock.GetUtcNow();
        var ts = SlackTs.FromDateTimeOffset(now).Value;
        var channel = Channel(number);
        var threadTs = inThreadOf is { } parent ? (await EntryAsync(number, parent)).Slack!.Ts : null;
        var source = new SlackMessageSource(channel, ts, threadTs, Permalink(channel, ts), bot);
        Assert.True(await Incidents.RecordMessageAsync(number, new NewTimelineEntry(TimelineEntryKind.Message, now, user, text, Slack: source)));
        Clock.Advance(step ?? TimeSpan.FromMinutes(1));
        return (await FindByTsAsync(number, ts)).Id;
    }

    public async Task<TimelineEntry> EntryAsync(long number, long id)
    {
        TimelineCursor? cursor = null;
        while (true)
        {
            var page = await Reader.GetTimelineAsync(number, new TimelineQuery { After = cursor });
            if (page.FirstOrDefault(e => e.Id == id) is { } found)
            {
                return found;
            }

            if (page.Count < TimelineQuery.MaxLimit)
            {
                throw new InvalidOperationException($"No entry {id} in INC-{number}.");
            }

            cursor = TimelineCursor.Of(page[^1]);
        }
    }

    public static string Channel(long number) => $"C{number:D4}INC";

    public static string Permalink(string channel, string ts) =>
        $"https://acme.slack.com/archives/{channel}/p{ts.Replace(".", "", StringComparison.Ordinal)}";

    public async Task PostAsync(long number, TimelineEntryKind kind, string text, string user)
    {
        await Incidents.PostAsync(number, kind, text, user);
        Clock.Advance(TimeSpan.FromMinutes(1));
    }

    public async Task EditAsync(long number, IncidentEdit edit, string user)
    {
        await Incidents.EditAsync(number, edit, user);
        Clock.Advance(TimeSpan.FromMinutes(1));
    }

    /// <summary>Checks every citation: its incident exists, its entry belongs to that incident, and its permalink is the entry's.</summary>
    public async Task AssertCitationsPointAtRealEntriesAsync(IEnumerable<Citation> citations)
    {
        var any = false;
        foreach (var citation in citations)
        {
            any = true;
            Assert.NotNull(await Reader.GetAsync(citation.IncidentNumber));
            if (citation.EntryId is { } id)
            {
                var entry = await EntryAsync(citation.IncidentNumber, id);
                Assert.Equal(citation.IncidentNumber, entry.IncidentNumber);
                Assert.Null(entry.DeletedAt);
                Assert.Equal(entry.Slack?.Permalink, citation.Permalink);
            }
            else
            {
                Assert.Null(citation.Permalink);
            }
        }

        Assert.True(any, "The answer cites nothing.");
    }

    /// <summary>The message stored at that ts: it is among the entries at or after its own time.</summary>
    private async Task<TimelineEntry> FindByTsAsync(long number, string ts)
    {
        var at = SlackTs.Parse(ts).ToDateTimeOffset();
        var page = await Reader.GetTimelineAsync(number, new TimelineQuery { After = new TimelineCursor(at.AddMilliseconds(-1), long.MaxValue), Limit = 50 });
        return page.Single(e => e.Slack?.Ts == ts);
    }
}
