using IncidentBot.Incidents;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Storage;

public sealed class CopyStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly SqliteStorage sqlite = new();
    private readonly PostgresStorage postgres = new();

    public async Task InitializeAsync()
    {
        await sqlite.InitializeAsync();
        await postgres.InitializeAsync();
        await sqlite.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await sqlite.DisposeAsync();
        await postgres.DisposeAsync();
    }

    [SkippableFact]
    public async Task AnSqliteFileIsCopiedWhole()
    {
        var from = sqlite.Open();
        var first = await from.Store.CreateAsync(IncidentChanges.Declare(
            new IncidentDraft { Title = "Checkout down", Services = ["checkout-api", "payments"], Description = "Stripe webhooks failing" }, Now));
        await from.Store.UpdateAsync(first.Number, current => IncidentChanges.Apply(
            current, new IncidentEdit { Status = IncidentStatus.Resolved, Link = (LinkType.Trace, "https://traces.example.com/abc") }, "U1", Now.AddHours(1)));
        await from.Store.UpdateAsync(first.Number, current => IncidentChanges.ReportAlert(current, new AlertReport(
            "pagerduty:PGR0VU2", "Checkout 5xx", AlertStatus.Resolved, Now.AddMinutes(-20), Now.AddMinutes(30), "https://acme.pagerduty.com/incidents/PGR0VU2"), null, Now.AddHours(1)));
        await from.Store.UpdateAsync(first.Number, current => IncidentChanges.AssignRole(current, "scribe", "U2", "U1", Now.AddHours(1)));
        await from.Store.UpdateAsync(first.Number, current => FollowUpChanges.Add(
            current, new NewFollowUp("Alert on webhook failures", "U2", new DateOnly(2026, 12, 1)), "U1", Now.AddHours(1)));
        Assert.True(await from.Reminders.ClaimFollowUpReminderAsync("U2", TimeSpan.FromDays(7), Now));
        var second = await from.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Login slow" }, Now));
        Assert.True(await from.Reminders.ClaimAsync(second.Number, Now, TimeSpan.FromMinutes(15), Now.AddMinutes(15)));
        await from.Store.SetChannelAsync(second.Number, "C1", "incident-2-login-slow");
        await from.Store.AddMessageAsync(second.Number, new NewTimelineEntry(
            TimelineEntryKind.Message, Now, "U1", "the memcached tier is thrashing", Slack: new SlackMessageSource("C1", "1700000000.000100", null, "https://x/p1", true)));
        await from.Store.AddPostmortemDraftAsync(first.Number, "# Draft", "U1", Now, d => new NewTimelineEntry(TimelineEntryKind.PostmortemDrafted, Now, "U1", $"draft {d.Version}"));
        await from.Embeddings.SaveAsync("small", [new(first.Number, "h1", new float[] { 0.5f, -1.25f })], Now);
        await from.Sync.SaveAsync(new SlackSyncState(second.Number) { CardTs = "1700000000.000001", CardVersion = 1, LinesThroughEntryId = 3 });
        await from.Inbox(new FakeTimeProvider(Now)).AcceptAsync(new SlackWorkItem(SlackWorkKind.Event, "{}", EventId: "Ev1"));
        var progress = new StringWriter();

        var exit = await CopyStorageCommand.RunAsync(
            ["--from", sqlite.ConnectionString, "--to", postgres.ConnectionString], progress, TextWriter.Null);

        Assert.Equal(0, exit);
        var to = postgres.Open();
        foreach (var number in new[] { first.Number, second.Number })
        {
            Assert.Equal(await from.Reader.GetAsync(number), await to.Reader.GetAsync(number), IncidentsAlike);
            Assert.Equal(await from.Reader.GetTimelineAsync(number, new()), await to.Reader.GetTimelineAsync(number, new()), EntriesAlike);
        }

        Assert.Equal([second.Number], (await to.Search.MatchAsync(SearchTerms.Of(["memcached"]), new IncidentFilter())).Select(m => m.Number));
        Assert.Equal([first.Number], (await to.Search.MatchAsync(SearchTerms.Of(["stripe"]), new IncidentFilter())).Select(m => m.Number));
        Assert.Equal("# Draft", Assert.Single(await to.Reader.GetPostmortemDraftsAsync(first.Number)).Markdown);
        Assert.Equal(new float[] { 0.5f, -1.25f }, (await to.Embeddings.GetAsync("small", [first.Number]))[first.Number].Vector.ToArray());
        Assert.Equal(await from.Sync.GetAsync(second.Number), await to.Sync.GetAsync(second.Number));
        Assert.NotNull(Assert.Single((await to.Reader.GetAsync(first.Number))!.IntakeAlerts).Alert);
        Assert.False(await to.Reminders.ClaimAsync(second.Number, Now, TimeSpan.FromMinutes(15), Now.AddMinutes(16)));
        Assert.False(await to.Reminders.ClaimFollowUpReminderAsync("U2", TimeSpan.FromDays(7), Now.AddDays(1)));
        var inbox = to.Inbox(new FakeTimeProvider(Now));
        Assert.Single(await inbox.ReadPendingAsync(0, 10));
        Assert.Equal(Acceptance.Duplicate, await inbox.AcceptAsync(new SlackWorkItem(SlackWorkKind.Event, "{}", EventId: "Ev1")));
        Assert.Equal(second.Number + 1, (await to.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "After the move" }, Now))).Number);
        Assert.Contains("timeline_entries", progress.ToString());
        Assert.Contains("100%", progress.ToString());
    }

    [SkippableFact]
    public async Task ADatabaseThatIsNotEmptyIsRefusedAndKeepsWhatItHad()
    {
        await sqlite.Open().Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "In the file" }, Now));
        await postgres.MigrateAsync();
        await postgres.Open().Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Already there" }, Now));
        var error = new StringWriter();

        var exit = await CopyStorageCommand.RunAsync(["--from", sqlite.ConnectionString, "--to", postgres.ConnectionString], TextWriter.Null, error);

        Assert.Equal(1, exit);
        Assert.Contains("is not empty", error.ToString());
        Assert.Equal(["Already there"], (await postgres.Open().Reader.FindAsync(new IncidentFilter())).Select(i => i.Title));
    }

    private static readonly IEqualityComparer<Incident?> IncidentsAlike = EqualityComparer<Incident?>.Create(
        (a, b) => a is not null && b is not null && a.Number == b.Number && a.Title == b.Title && a.Status == b.Status
            && a.Services.SequenceEqual(b.Services) && a.Links.SequenceEqual(b.Links) && a.Version == b.Version
            && a.ChannelId == b.ChannelId && a.ResolvedAt == b.ResolvedAt && a.Description == b.Description
            && a.ImpactStartedAt == b.ImpactStartedAt && a.Roles.SequenceEqual(b.Roles) && a.FollowUps.SequenceEqual(b.FollowUps));

    private static readonly IEqualityComparer<TimelineEntry> EntriesAlike = EqualityComparer<TimelineEntry>.Create(
        (a, b) => a!.Id == b!.Id && a.Kind == b.Kind && a.Text == b.Text && a.OccurredAt == b.OccurredAt && Equals(a.Slack, b.Slack)
            && a.Data?.ToJsonString() == b.Data?.ToJsonString());
}

public sealed class CopyStorageArgumentTests
{
    [Fact]
    public async Task WithoutATargetItSaysWhatItNeeds()
    {
        var error = new StringWriter();

        Assert.Equal(2, await CopyStorageCommand.RunAsync([], TextWriter.Null, error));
        Assert.Contains("needs --to", error.ToString());
    }
}
