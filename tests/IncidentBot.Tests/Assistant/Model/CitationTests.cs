using IncidentBot.Assistant;
using IncidentBot.Assistant.Model;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

public sealed class CitationTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task CitationsThatPointAtNothingAreFlaggedAndRealOnesCarryPermalinksFromTheStore()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var rootCause = world.CheckoutEntries["root-cause"];
        var ofAnotherIncident = world.CheckoutEntries["rollback"];
        model.Fake.Enqueue(FakeChatReply.Text(
            $"The pool was cut from 50 to 5 [INC-{world.Checkout}#{rootCause}].\n"
            + $"An entry that does not exist [INC-{world.Checkout}#99999].\n"
            + $"A real entry of another incident [INC-{world.SearchLatency}#{ofAnotherIncident}].\n"
            + "An incident that does not exist [INC-4040].\n"
            + $"The incident record [INC-{world.Checkout}] and both at once [INC-{world.Checkout}#{rootCause}, INC-{world.Checkout}#88888]."));

        var answer = await model.Assistant.AnswerAsync($"what was the root cause of incident-{world.Checkout}?");

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Equal(2, answer.Citations.Count);
        var entry = answer.Citations[0];
        Assert.Equal((world.Checkout, rootCause), (entry.IncidentNumber, entry.EntryId!.Value));
        Assert.Equal((await world.EntryAsync(world.Checkout, rootCause)).Slack!.Permalink, entry.Permalink);
        Assert.Equal(new Citation(world.Checkout), answer.Citations[1]);
        Assert.Equal(4, CountOf(answer.Text, CitationVerdicts.NotFound));
        Assert.Contains("4 sources the model cited do not exist and were removed", answer.Text);
        Assert.DoesNotContain("99999", answer.Text);
        Assert.DoesNotContain("INC-4040", answer.Text);
        Assert.Contains($"The pool was cut from 50 to 5 [[1]]({entry.Permalink})", answer.Text);
        Assert.Contains($"both at once [[1]]({entry.Permalink}) {CitationVerdicts.NotFound}", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task AnAnswerWithoutAnySourceSaysSo()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(FakeChatReply.Text("Everything is fine."));

        var answer = await model.Assistant.AnswerAsync("is everything fine?");

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Empty(answer.Citations);
        Assert.Contains("The model cited no source for this answer", answer.Text);
    }

    [Fact]
    public async Task ADeletedMessageIsNoSource()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var entry = await world.EntryAsync(world.LoginSlow, (await world.Reader.GetTimelineAsync(world.LoginSlow, new())).Last().Id);
        await world.Incidents.RecordMessageDeletionAsync(world.LoginSlow, entry.Slack!, entry.OccurredAt, world.Clock.GetUtcNow());
        model.Fake.Enqueue(FakeChatReply.Text($"auth was slow [INC-{world.LoginSlow}#{entry.Id}]."));

        var answer = await model.Assistant.AnswerAsync($"what happened in incident-{world.LoginSlow}?");

        Assert.Empty(answer.Citations);
        Assert.Contains(CitationVerdicts.NotFound, answer.Text);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
