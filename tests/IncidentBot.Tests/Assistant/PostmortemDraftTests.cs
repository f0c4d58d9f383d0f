using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Tests.Assistant;

/// <summary>Each test gets its own world: drafting writes.</summary>
public sealed class PostmortemDraftTests : IAsyncLifetime
{
    private static readonly string[] Sections =
        ["## Summary", "## Impact", "## Timeline", "## Root cause", "## Resolution", "## Action items", "## Lessons learned"];

    private readonly IncidentWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task AnActiveIncidentGetsNoDraftAndTheReason()
    {
        var answer = await world.Assistant.DraftPostmortemAsync(world.PaymentTimeouts, IncidentWorld.Alice);

        Assert.Null(answer.Draft);
        Assert.Equal("INC-8 is active: a postmortem is drafted once the incident is resolved or completed.", answer.Refusal);
        Assert.Empty(await world.Assistant.ListPostmortemDraftsAsync(world.PaymentTimeouts));
        Assert.DoesNotContain(await world.Reader.GetTimelineAsync(world.PaymentTimeouts, new()), e => e.Kind == TimelineEntryKind.PostmortemDrafted);
    }

    [Fact]
    public async Task AStableIncidentIsNotResolvedYet()
    {
        var answer = await world.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Alice);

        Assert.Contains("INC-7 is stable", answer.Refusal);
    }

    [Fact]
    public async Task AResolvedIncidentWithTooFewMessagesGetsNoDraftAndTheReason()
    {
        var answer = await world.Assistant.DraftPostmortemAsync(world.SearchLatency, IncidentWorld.Alice);

        Assert.Null(answer.Draft);
        Assert.StartsWith("INC-3 has 4 timeline messages; a postmortem draft needs at least 15 to be worth writing.", answer.Refusal);
        Assert.Contains("A message is one written in the incident's Slack channel, or an update, action or resolution posted to it", answer.Refusal);
        Assert.Contains("deleted messages and the automatic entries", answer.Refusal);
    }

    [Fact]
    public async Task AResolvedIncidentGetsADraftWithAllSevenSectionsLabelledAsADraft()
    {
        await ResolveCheckoutAsync();

        var answer = await world.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Alice);

        var draft = Assert.IsType<PostmortemDraft>(answer.Draft);
        var markdown = draft.Markdown;
        Assert.Equal(1, draft.Version);
        Assert.Equal(IncidentWorld.Alice, draft.CreatedBy);
        var positions = Sections.Select(s => markdown.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("**DRAFT for humans to revise.**", markdown);
        Assert.Contains("deterministic engine (no model)", markdown);
        Assert.DoesNotContain("Severity changed", Section(markdown, "## Resolution"));
        Assert.Contains("Hypothesis: the new connection pool settings", Section(markdown, "## Timeline"));
        Assert.Contains("[Datadog] ALERT", Section(markdown, "## Timeline"));
        Assert.Single(Section(markdown, "## Timeline").Split('\n'), line => line.Contains("suspecting deploy v2.14.0"));
        Assert.Contains("# Postmortem: INC-7 · Checkout failing", markdown);
        Assert.Contains("Rolled back checkout-api to v2.13.2", Section(markdown, "## Resolution"));
        Assert.Contains("lowered the connection pool from 50 to 5", Section(markdown, "## Root cause"));
        Assert.Contains("- [ ] ", Section(markdown, "## Action items"));
        Assert.Contains("CI check on connection pool sizes", Section(markdown, "## Action items"));
        Assert.Contains("38% of checkout attempts fail", Section(markdown, "## Impact"));
        Assert.Contains("Severity changed from SEV-2 to SEV-1", Section(markdown, "## Timeline"));
        Assert.DoesNotContain("{{", markdown);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task EveryDraftIsKeptLatestFirstAndEachAddsATimelineEntry()
    {
        await ResolveCheckoutAsync();

        await world.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Alice);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Bob);

        var drafts = await world.Assistant.ListPostmortemDraftsAsync(world.Checkout);
        Assert.Equal([2, 1], drafts.Select(d => d.Version));
        Assert.Equal([IncidentWorld.Bob, IncidentWorld.Alice], drafts.Select(d => d.CreatedBy));
        Assert.True(drafts[0].CreatedAt > drafts[1].CreatedAt);
        var entries = (await world.Reader.GetTimelineAsync(world.Checkout, new())).Where(e => e.Kind == TimelineEntryKind.PostmortemDrafted).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(2, entries[1].Data!["version"]!.GetValue<int>());
        Assert.Equal("deterministic", entries[1].Data!["engine"]!.GetValue<string>());
        Assert.Equal(IncidentWorld.Bob, entries[1].ActorId);
    }

    [Fact]
    public async Task AskingForAPostmortemInTheChannelDraftsIt()
    {
        await ResolveCheckoutAsync();

        var answer = await world.Assistant.AnswerAsync("draft a postmortem", world.Checkout, IncidentWorld.Carol);

        Assert.Equal("postmortem", answer.Kind);
        Assert.Contains("## Lessons learned", answer.Text);
        Assert.Equal(IncidentWorld.Carol, Assert.Single(await world.Assistant.ListPostmortemDraftsAsync(world.Checkout)).CreatedBy);
    }

    [Fact]
    public async Task AskingForAPostmortemOfAnActiveIncidentAnswersWhyNot()
    {
        var answer = await world.Assistant.AnswerAsync("@IncidentBot draft a postmortem", world.PaymentTimeouts, IncidentWorld.Carol);

        Assert.StartsWith("INC-8 is active", answer.Text);
        Assert.Empty(await world.Assistant.ListPostmortemDraftsAsync(world.PaymentTimeouts));
    }

    [Fact]
    public async Task DeletedMessagesDoNotCountTowardsTheFifteen()
    {
        var n = await world.DeclareAsync("Short one", Severity.Sev4, ["web"], IncidentWorld.Dave);
        var ids = new List<long>();
        for (var i = 0; i < 15; i++)
        {
            ids.Add(await world.SayAsync(n, IncidentWorld.Dave, $"message {i}"));
        }

        await world.EditAsync(n, new IncidentEdit { Status = IncidentStatus.Resolved }, IncidentWorld.Dave);
        var entry = await world.EntryAsync(n, ids[3]);
        await world.Incidents.RecordMessageDeletionAsync(n, entry.Slack!, entry.OccurredAt, world.Clock.GetUtcNow());

        var answer = await world.Assistant.DraftPostmortemAsync(n, IncidentWorld.Dave);

        Assert.Contains("has 14 timeline messages", answer.Refusal);
    }

    [Fact]
    public async Task TheTrackedFollowUpsAreTheFirstActionItemsTickedWhenDoneWithTheirOwnersAndDates()
    {
        await world.Incidents.AddFollowUpAsync(world.Checkout, new NewFollowUp("Add a CI check on pool sizes", "U0BOB", new DateOnly(2026, 11, 20)), IncidentWorld.Alice);
        await world.Incidents.AddFollowUpAsync(world.Checkout, new NewFollowUp("Page the database team on pool exhaustion"), IncidentWorld.Alice);
        await world.Incidents.ChangeFollowUpAsync(world.Checkout, 2, new FollowUpEdit(Status: FollowUpStatus.Done), IncidentWorld.Alice);
        await ResolveCheckoutAsync();

        var answer = await world.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Alice);

        var items = Section(answer.Draft!.Markdown, "## Action items").Split('\n').Where(line => line.StartsWith("- [", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("- [ ] Add a CI check on pool sizes (owner <@U0BOB>, due 2026-11-20) [", items[0]);
        Assert.StartsWith("- [x] Page the database team on pool exhaustion (no owner yet) [", items[1]);
        Assert.Contains(items.Skip(2), line => line.Contains("CI check on connection pool sizes"));
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    private async Task ResolveCheckoutAsync()
    {
        world.SetClock(IncidentWorld.Now.AddMinutes(5));
        await world.EditAsync(world.Checkout, new IncidentEdit
        {
            Status = IncidentStatus.Resolved,
            ResolutionSummary = "Rolled back to v2.13.2; the pool size is fixed in v2.14.1",
        }, IncidentWorld.Alice);
    }

    /// <summary>The part of a draft under one heading, down to the next.</summary>
    internal static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading, StringComparison.Ordinal);
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }
}
