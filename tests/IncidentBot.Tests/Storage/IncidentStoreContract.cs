using IncidentBot.Incidents;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's <see cref="IIncidentStore"/> and <see cref="IIncidentReader"/> must do.</summary>
public abstract class IncidentStoreContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task WritersInTwoProcessesToOneIncidentLoseNoUpdate()
    {
        // Two stores on one database stand for two processes: their in-process gates are separate,
        // so only the database's own locking keeps their read-modify-writes apart.
        var first = Provider.Open().Store;
        var second = Provider.Open().Store;
        var incident = await first.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Shared" }, Now));

        var writes = Enumerable.Range(0, 30).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).UpdateAsync(
            incident.Number,
            current => IncidentChanges.Apply(current, new IncidentEdit { AddServices = [$"service-{i}"] }, "U1", Now.AddSeconds(i)))));
        await Task.WhenAll(writes);

        var stored = await Ports.Reader.GetAsync(incident.Number);
        Assert.Equal(30, stored!.Services.Count);
        Assert.Equal(31, stored.Version);
        var timeline = await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery());
        Assert.Equal(30, timeline.Count(e => e.Kind == TimelineEntryKind.ServicesChanged));
    }

    [SkippableFact]
    public async Task AChangeThatThrowsWritesNothing()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Guarded" }, Now));

        await Assert.ThrowsAsync<IncidentValidationException>(() => Ports.Store.UpdateAsync(incident.Number, current =>
            IncidentChanges.Apply(current, new IncidentEdit { Severity = Severity.Sev1, Title = "" }, "U1", Now)));

        var stored = await Ports.Reader.GetAsync(incident.Number);
        Assert.Equal(Severity.Unknown, stored!.Severity);
        Assert.Equal(1, stored.Version);
        Assert.Single(await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery()));
    }

    [SkippableFact]
    public async Task EveryFieldSurvivesTheRoundTrip()
    {
        var created = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft
        {
            Title = "Checkout down",
            Severity = Severity.Sev2,
            Services = ["checkout-api", "payments"],
            Environment = "production",
            Description = "Stripe webhooks failing",
            CustomerImpact = "30% of payments",
            DeclaredBy = "U1",
            CommanderId = "U2",
        }, Now));
        await Ports.Store.UpdateAsync(created.Number, current => IncidentChanges.Apply(current with { ChannelId = "C123", ChannelName = "incident-1-checkout-down" }, new IncidentEdit
        {
            Status = IncidentStatus.Resolved,
            MitigationSummary = "Rolled back",
            ResolutionSummary = "Fixed",
            Link = (LinkType.Trace, "https://traces.example.com/abc"),
        }, "U2", Now.AddHours(1)));

        var stored = await Ports.Reader.GetAsync(created.Number);
        var byChannel = await Ports.Reader.FindByChannelAsync("C123");

        Assert.Equal(1, byChannel?.Number);
        Assert.Equal(["checkout-api", "payments"], stored!.Services);
        Assert.Equal("production", stored.Environment);
        Assert.Equal("30% of payments", stored.CustomerImpact);
        Assert.Equal("U2", stored.CommanderId);
        Assert.Equal("incident-1-checkout-down", stored.ChannelName);
        Assert.Equal(Now.AddHours(1), stored.ResolvedAt);
        Assert.Equal(TimeSpan.FromHours(1), stored.TimeToResolve);
        var link = Assert.Single(stored.Links);
        Assert.Equal(new LinkedResource(LinkType.Trace, "https://traces.example.com/abc", Now.AddHours(1), "U2"), link);
        Assert.Equal(Now.AddHours(1), stored.UpdatedAt);
    }

    [SkippableFact]
    public async Task SlackMessageSourcesAreKeptWithTheirEntries()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));
        var source = new SlackMessageSource("C123", "1700000000.000100", "1700000000.000050", "https://x.slack.com/archives/C123/p1700000000000100", IsBot: true);

        await Ports.Store.UpdateAsync(incident.Number, current =>
            new IncidentChange(current, [new NewTimelineEntry(TimelineEntryKind.Message, Now, "U1", "rolling back", Slack: source)]));

        var entry = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery()))[^1];
        Assert.Equal(source, entry.Slack);
        Assert.Equal(TimelineEntryKind.Message, entry.Kind);
    }

    [SkippableFact]
    public async Task TheStoreIsReachableOnlyWhenItsDatabaseHasTheSchema()
    {
        var empty = new TProvider();
        await empty.InitializeAsync();
        try
        {
            Assert.True(await Ports.Reader.IsReachableAsync());
            Assert.False(await empty.Open().Reader.IsReachableAsync());
        }
        finally
        {
            await empty.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task ASlackMessageIsStoredOnceHoweverOftenItArrives()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));

        var first = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000100", "checking the dashboards"));
        var again = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000100", "checking the dashboards"));

        Assert.Equal("checking the dashboards", first?.Text);
        Assert.Null(again);
        var messages = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery())).Where(e => e.Kind == TimelineEntryKind.Message);
        Assert.Single(messages);
        Assert.Equal("1700000000.000100", await Ports.Reader.GetLatestMessageTsAsync("C1"));
    }

    [SkippableFact]
    public async Task MessagesStoredTogetherAreEachStoredOnce()
    {
        var first = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Busy" }, Now));
        var second = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Also busy" }, Now));
        await Ports.Store.AddMessageAsync(first.Number, Message("1700000000.000100", "already here"));

        var stored = await Ports.Store.AddMessagesAsync([
            (first.Number, Message("1700000000.000100", "already here")),
            (first.Number, Message("1700000000.000200", "new")),
            (second.Number, Message("1700000000.000300", "elsewhere")),
            (first.Number, Message("1700000000.000200", "new")),
        ]);

        Assert.Equal([null, "new", "elsewhere", null], stored.Select(e => e?.Text));
        Assert.Equal(second.Number, stored[2]!.IncidentNumber);
        Assert.Equal(2, (await Ports.Reader.GetTimelineAsync(first.Number, new TimelineQuery())).Count(e => e.Kind == TimelineEntryKind.Message));
    }

    [SkippableFact]
    public async Task AMessageStoredInARunKeepsEveryFieldAsSent()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));
        var text = "rollback \"v2\" done \\ ok\nnext line\ttab \u0001 ünïcode 🚀 <b>&amp;</b> 100%";
        var sent = new NewTimelineEntry(TimelineEntryKind.Message, SlackTs.Parse("1700000000.400000").ToDateTimeOffset(), "U2", text,
            new System.Text.Json.Nodes.JsonObject { ["files"] = 2, ["note"] = "a \"quoted\" 🚀" },
            new SlackMessageSource("C1", "1700000000.400000", "1700000000.000100", "https://example.slack.com/archives/C1/p1700000000400000", true));

        var stored = await Ports.Store.AddMessagesAsync([(incident.Number, sent), (incident.Number, Message("1700000000.000500", ""))]);

        var read = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery()))
            .Where(e => e.Kind == TimelineEntryKind.Message).OrderByDescending(e => e.Slack!.Ts).ToList();
        Assert.Equal(2, read.Count);
        foreach (var entry in new[] { stored[0]!, read[0] })
        {
            Assert.Equal(text, entry.Text);
            Assert.Equal("U2", entry.ActorId);
            Assert.Equal(sent.OccurredAt, entry.OccurredAt);
            Assert.Equal(sent.Slack, entry.Slack);
            Assert.Equal(sent.Data!.ToJsonString(), entry.Data?.ToJsonString());
        }

        Assert.Equal(read[0].Id, stored[0]!.Id);
        Assert.Equal(read[1].Id, stored[1]!.Id);
        Assert.Equal("", read[1].Text);
    }

    [SkippableFact]
    public async Task AnEditReplacesTheTextUnlessALaterEditIsAlreadyThere()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));
        await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000100", "rollback v2.3.0"));

        await Ports.Store.EditMessageAsync(incident.Number, Message("1700000000.000100", "rollback to v2.3.0 done"), Now.AddMinutes(2));
        await Ports.Store.EditMessageAsync(incident.Number, Message("1700000000.000100", "an older edit arriving late"), Now.AddMinutes(1));

        var entry = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery())).Single(e => e.Kind == TimelineEntryKind.Message);
        Assert.Equal("rollback to v2.3.0 done", entry.Text);
        Assert.Equal(Now.AddMinutes(2), entry.EditedAt);
    }

    [SkippableFact]
    public async Task AnEditOfAMessageThatNeverArrivedStoresTheEditedText()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));

        await Ports.Store.EditMessageAsync(incident.Number, Message("1700000000.000200", "edited first"), Now.AddMinutes(1));
        var original = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000200", "original"));

        Assert.Null(original);
        var entry = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery())).Single(e => e.Kind == TimelineEntryKind.Message);
        Assert.Equal("edited first", entry.Text);
    }

    [SkippableFact]
    public async Task ADeletedMessageIsMarkedAndNotBroughtBackByALateCopy()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));
        await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000100", "oops, wrong channel"));

        await Ports.Store.DeleteMessageAsync(incident.Number, new SlackMessageSource("C1", "1700000000.000100", null, null, false), Now, Now.AddMinutes(1));
        await Ports.Store.DeleteMessageAsync(incident.Number, new SlackMessageSource("C1", "1700000000.000300", null, null, false), Now, Now.AddMinutes(1));
        var late = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000300", "deleted before it arrived"));
        await Ports.Store.EditMessageAsync(incident.Number, Message("1700000000.000100", "edit after delete"), Now.AddMinutes(2));

        Assert.Null(late);
        var messages = (await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery())).Where(e => e.Kind == TimelineEntryKind.Message).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(Now.AddMinutes(1), m.DeletedAt));
        Assert.Equal("oops, wrong channel", messages[0].Text);
    }

    [SkippableFact]
    public async Task AnAlertLinkKeepsItsUrlAndStateAndFindsItsIncident()
    {
        var started = Now.AddMinutes(-20);
        var alert = new AlertReport("pagerduty:PGR0VU2", "Checkout 5xx", AlertStatus.Firing, StartedAt: started, Url: "https://acme.pagerduty.com/incidents/PGR0VU2");
        var declared = IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down", Severity = Severity.Sev1 }, Now);
        var incident = await Ports.Store.CreateAsync(declared.Then(IncidentChanges.ReportAlert(declared.Incident, alert, null, Now)));
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Unrelated" }, Now));
        await Ports.Store.UpdateAsync(incident.Number, current =>
            IncidentChanges.ReportAlert(current, alert with { Status = AlertStatus.Resolved, EndedAt = Now.AddMinutes(5) }, null, Now.AddMinutes(5)));

        var stored = await Ports.Reader.GetAsync(incident.Number);
        var found = await Ports.Reader.FindAsync(new IncidentFilter { LinkedTo = (LinkType.Alert, "pagerduty:PGR0VU2") });

        var link = Assert.Single(stored!.IntakeAlerts);
        Assert.Equal("https://acme.pagerduty.com/incidents/PGR0VU2", link.Url);
        Assert.Equal(new LinkedAlertState("Checkout 5xx", AlertStatus.Resolved, started, Now.AddMinutes(5)), link.Alert);
        Assert.Equal(started, stored.ImpactStartedAt);
        Assert.Equal(TimeSpan.FromMinutes(20), stored.TimeToDetect);
        Assert.Equal([incident.Number], found.Select(i => i.Number));
        Assert.Equal(1, await Ports.Reader.CountAsync(new IncidentFilter { LinkedTo = (LinkType.Alert, "pagerduty:PGR0VU2") }));
        Assert.Contains(await Ports.Reader.GetTimelineAsync(incident.Number, new TimelineQuery()), e => e.Kind == TimelineEntryKind.AlertChanged);
    }

    [SkippableFact]
    public async Task TheEnvironmentFilterKeepsIncidentsOfThatEnvironmentWhateverItsCase()
    {
        var production = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down", Environment = "Production" }, Now));
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Staging slow", Environment = "staging" }, Now));
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Nowhere" }, Now));

        var found = await Ports.Reader.FindAsync(new IncidentFilter { Environment = "production" });

        Assert.Equal([production.Number], found.Select(i => i.Number));
        Assert.Equal(1, await Ports.Reader.CountAsync(new IncidentFilter { Environment = " PRODUCTION " }));
    }

    [SkippableFact]
    public async Task TheLastUpdateIsTheLatestUpdateStatusOrSeverityChangeElseTheDeclaration()
    {
        var updated = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down" }, Now));
        var quiet = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Search slow" }, Now.AddMinutes(1)));
        await Ports.Store.UpdateAsync(updated.Number, current => IncidentChanges.Post(current, TimelineEntryKind.Update, "Rolling back", "U1", Now.AddMinutes(10)));
        await Ports.Store.UpdateAsync(updated.Number, current => IncidentChanges.Apply(current, new IncidentEdit { Severity = Severity.Sev1 }, "U1", Now.AddMinutes(20)));
        await Ports.Store.UpdateAsync(updated.Number, current => IncidentChanges.Post(current, TimelineEntryKind.Action, "Paged payments", "U1", Now.AddMinutes(30)));
        await Ports.Store.AddMessageAsync(quiet.Number, Message("1793000000.000100", "anyone looking?"));

        var last = await Ports.Reader.GetLastUpdatesAsync([updated.Number, quiet.Number, 99]);

        Assert.Equal(2, last.Count);
        Assert.Equal(Now.AddMinutes(20), last[updated.Number]);
        Assert.Equal(Now.AddMinutes(1), last[quiet.Number]);
        Assert.Empty(await Ports.Reader.GetLastUpdatesAsync([]));
    }

    [SkippableFact]
    public async Task TheImpactStartIsKeptAndCountsInTheTimeToDetect()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(
            new IncidentDraft { Title = "Checkout down", Severity = Severity.Sev2, ImpactStartedAt = Now.AddMinutes(-30) }, Now));
        await Ports.Store.UpdateAsync(incident.Number, current =>
            IncidentChanges.Apply(current, new IncidentEdit { ImpactStartedAt = Now.AddMinutes(-45) }, "U1", Now.AddMinutes(1)));

        var stored = await Ports.Reader.GetAsync(incident.Number);
        var stats = await Ports.Reader.GetStatsAsync(Now.AddDays(-1), Now.AddDays(1));

        Assert.Equal(Now.AddMinutes(-45), stored!.ImpactStartedAt);
        Assert.Equal(TimeSpan.FromMinutes(45), stored.TimeToDetect);
        Assert.Equal(TimeSpan.FromMinutes(45), stats.MeanTimeToDetect);
    }

    [SkippableFact]
    public async Task APersonsLastEntryIsTheLatestOfTheirsBeforeThePointAsked()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Who was here", DeclaredBy = "U9" }, Now));
        var other = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Elsewhere" }, Now));
        var first = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000000.000100", "first", "U2"));
        var second = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000060.000100", "second", "U2"));
        await Ports.Store.AddMessageAsync(incident.Number, Message("1700000120.000100", "someone else", "U3"));
        await Ports.Store.AddMessageAsync(other.Number, Message("1700000130.000100", "another incident", "U2"));
        var third = await Ports.Store.AddMessageAsync(incident.Number, Message("1700000180.000100", "third", "U2"));
        var end = new TimelineCursor(DateTimeOffset.MaxValue.AddDays(-1), long.MaxValue);

        Assert.Equal(third!.Id, (await Ports.Reader.GetLastEntryByAsync(incident.Number, "U2", end))?.Id);
        Assert.Equal(second!.Id, (await Ports.Reader.GetLastEntryByAsync(incident.Number, "U2", TimelineCursor.Of(third)))?.Id);
        Assert.Equal(first!.Id, (await Ports.Reader.GetLastEntryByAsync(incident.Number, "U2", new TimelineCursor(second.OccurredAt, 0)))?.Id);
        Assert.Null(await Ports.Reader.GetLastEntryByAsync(incident.Number, "U2", TimelineCursor.Of(first)));
        Assert.Equal(TimelineEntryKind.Declared, (await Ports.Reader.GetLastEntryByAsync(incident.Number, "U9", end))?.Kind);
        Assert.Null(await Ports.Reader.GetLastEntryByAsync(incident.Number, "U4", end));
    }

    private static NewTimelineEntry Message(string ts, string text, string user = "U1") =>
        new(TimelineEntryKind.Message, SlackTs.Parse(ts).ToDateTimeOffset(), user, text, Slack: new SlackMessageSource("C1", ts, null, null, false));
}

public sealed class SqliteIncidentStoreTests : IncidentStoreContract<SqliteStorage>
{
    private readonly SqliteIncidentReader reader;

    public SqliteIncidentStoreTests() => reader = new SqliteIncidentReader(new SqliteDatabase(Provider.ConnectionString));

    [Fact]
    public async Task WritesQueuedWhenTheDatabaseIsDisposedAreCommittedAndLaterOnesRefused()
    {
        var closing = new SqliteDatabase(Provider.ConnectionString);
        var store = new SqliteIncidentStore(closing);
        var writes = Enumerable.Range(0, 50)
            .Select(i => store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = $"Queued {i}" }, Now)))
            .ToList();

        await closing.DisposeAsync();

        await Task.WhenAll(writes);
        Assert.Equal(50, await reader.CountAsync(new IncidentFilter()));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Late" }, Now)));
    }
}

public sealed class PostgresIncidentStoreTests : IncidentStoreContract<PostgresStorage>;
