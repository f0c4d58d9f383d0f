using System.Text.RegularExpressions;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>Summaries and postmortem drafts written by the model, on a world of its own (these tests add incidents).</summary>
public sealed partial class ModelSummaryTests : IAsyncLifetime
{
    private readonly IncidentWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task ALongTimelineIsSummarisedInPartsWhoseNotesAreCombinedAndTheSummarySaysHowMuchWasRead()
    {
        var (n, rollback, question) = await WriteLongIncidentAsync(2_000);
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = request => Summarise(request, n, rollback, question);

        var summary = await model.Assistant.SummarizeAsync(n);

        Assert.Equal(AssistantEngines.Model, summary.Engine);
        Assert.Null(summary.FallbackReason);
        var parts = model.Fake.ChatRequests.Where(r => r.UserText.Contains("This is part")).ToList();
        Assert.Equal(summary.Parts, parts.Count);
        Assert.InRange(summary.Parts, 2, new TimelineReadLimits().MaxParts);
        Assert.All(parts, part => Assert.True(part.UserText.Length < new TimelineReadLimits().MaxPartChars + 1_000, $"A part of {part.UserText.Length} characters."));
        Assert.All(parts, part => Assert.Empty(part.ToolNames));
        Assert.Equal(2_001, summary.EntriesRead);
        Assert.Equal(2_001, parts.Sum(p => EntryLine().Matches(p.UserText).Count));
        var combine = Assert.Single(model.Fake.ChatRequests, r => r.UserText.Contains("Write a summary"));
        Assert.Contains($"Notes on part 1 of {summary.Parts}", combine.UserText);
        Assert.Contains($"Notes on part {summary.Parts} of {summary.Parts}", combine.UserText);
        Assert.Contains($"read 2001 timeline entries in {summary.Parts} parts", summary.Text);
        Assert.Equal(rollback, Assert.Single(summary.Done).Sources.Single().EntryId);
        Assert.Equal(question, Assert.Single(summary.OpenQuestions).Sources.Single().EntryId);
        Assert.Empty(summary.TryingNow);
        Assert.Contains("**Impact**", summary.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(summary.Citations);
    }

    [Fact]
    public async Task AShortTimelineGoesToTheModelInOneRequestAsDelimitedData()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = request => Summarise(request, world.Checkout, world.CheckoutEntries["rollback"], world.CheckoutEntries["card-networks"]);

        var summary = await model.Assistant.SummarizeAsync(world.Checkout);

        var request = Assert.Single(model.Fake.ChatRequests);
        Assert.Equal(1, summary.Parts);
        Assert.Contains("<incident_data>", request.UserText);
        Assert.Contains("Rolled back checkout-api to v2.13.2", Between(request.UserText, "<incident_data>", "</incident_data>"));
        Assert.Contains("Status **stable**", summary.Text);
        Assert.Equal(AssistantEngines.Model, summary.Engine);
    }

    [Fact]
    public async Task AVeryLongTimelineKeepsItsFirstAndLatestPartsAndSaysWhatWasNotRead()
    {
        var (n, _, _) = await WriteLongIncidentAsync(300);
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = _ => FakeChatReply.Text("- a note");
        var incident = (await world.Reader.GetAsync(n))!;
        var condenser = new TimelineCondenser(
            world.Bot.App.Services.GetRequiredService<IncidentPlugin>(), model.Clients, world.Clock,
            new TimelineReadLimits { PageSize = 64, MaxPartChars = 2_000, MaxParts = 3 });

        var read = await condenser.ReadAsync(incident, CancellationToken.None);

        Assert.Equal(3, read.Parts);
        Assert.Equal(301, read.EntriesRead + read.EntriesSkipped);
        Assert.True(read.EntriesSkipped > 0);
        Assert.Contains($"{read.EntriesSkipped} entries in the middle of the timeline were not read", read.Text);
        var parts = model.Fake.ChatRequests;
        Assert.Contains($"[INC-{n}#", parts[0].UserText);
        Assert.Contains("(299)", parts.Single(p => p.UserText.Contains("part 3 of 3")).UserText);
    }

    [Fact]
    public async Task APostmortemDraftIsWrittenByTheModelIntoTheTemplateWithCheckedSources()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var rootCause = world.CheckoutEntries["root-cause"];
        model.Fake.Responder = _ => FakeChatReply.Text(
            $"**Summary**\nA deploy cut the connection pool [INC-{world.Checkout}#{rootCause}].\n**Impact**\n- 38% of checkouts failed [INC-{world.Checkout}]\n"
            + $"**Root cause**\n- The pool went from 50 to 5 [INC-{world.Checkout}#{rootCause}] [INC-{world.Checkout}#77777]\n**Lessons learned**\nFor the team to fill in.");
        await world.EditAsync(world.Checkout, new IncidentEdit { Status = IncidentStatus.Resolved }, IncidentWorld.Alice);

        var draft = await model.Assistant.DraftPostmortemAsync(world.Checkout, IncidentWorld.Alice);

        Assert.Equal(AssistantEngines.Model, draft.Engine);
        Assert.NotNull(draft.Draft);
        Assert.Contains("**DRAFT for humans to revise.** Written by the model (fake-model)", draft.Text);
        Assert.Contains("## Root cause\n\n- The pool went from 50 to 5 [[1]](", draft.Text);
        Assert.Contains("## Timeline\n\n_For the team to fill in._", draft.Text);
        Assert.Contains(CitationVerdicts.NotFound, draft.Text);
        Assert.Contains("1 source(s) the model cited do not exist", draft.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(draft.Citations);
    }

    private async Task<(long Number, long Rollback, long Question)> WriteLongIncidentAsync(int messages)
    {
        var n = await world.DeclareAsync("Queue backlog in the notifications pipeline", Severity.Sev2, ["notifications"], IncidentWorld.Alice);
        long rollback = 0, question = 0;
        var chatter = new[] { "still seeing lag on the consumer", "graph attached", "lag at 40k", "ack", "watching", "same here" };
        for (var i = 0; i < messages; i++)
        {
            var text = i == messages / 2 ? "Rolled back notifications-worker to v8.1.0"
                : i == messages - 10 ? "Does anyone know who owns the kafka quota config?"
                : $"{chatter[i % chatter.Length]} ({i})";
            var id = await world.SayAsync(n, i % 2 == 0 ? IncidentWorld.Bob : IncidentWorld.Carol, text, step: TimeSpan.FromSeconds(2));
            rollback = i == messages / 2 ? id : rollback;
            question = i == messages - 10 ? id : question;
        }

        return (n, rollback, question);
    }

    /// <summary>A model that takes notes citing each part's first and last entries, and combines them citing what it was told.</summary>
    private static FakeChatReply Summarise(FakeChatRequest request, long n, long done, long question)
    {
        var refs = Citations().Matches(request.UserText).Select(m => m.Value).ToList();
        return request.UserText.Contains("This is part")
            ? FakeChatReply.Text($"- the consumer lag kept growing {refs[0]}\n- still lagging {refs[^1]}")
            : FakeChatReply.Text(
                $"**Overview**\nA long incident [INC-{n}].\n\n**Impact**\n- consumers lag {refs[0]}\n**What has been done**\n- rolled back [INC-{n}#{done}]\n"
                + $"**Being tried now**\n- None.\n**Open questions**\n- who owns the quota config? [INC-{n}#{question}]");
    }

    private static string Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        return text[start..text.IndexOf(close, start, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"\[INC-\d+#\d+\]")]
    private static partial Regex Citations();

    [GeneratedRegex(@"^\[INC-\d+#\d+\] ", RegexOptions.Multiline)]
    private static partial Regex EntryLine();
}
