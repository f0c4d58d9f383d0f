using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>The catch-up written by the fake model from only what came after the person's last entry, and the core when the model fails.</summary>
public sealed class ModelCatchupTests : IAsyncLifetime
{
    private readonly IncidentWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task TheModelIsGivenOnlyTheEntriesAfterThePersonsLastOneAndItsLinesAreCited()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var rootCause = world.CheckoutEntries["root-cause"];
        model.Fake.Responder = _ => FakeChatReply.Text(
            $"**Status and severity**\n- None.\n**New findings**\n- the cause is the pool of 5 connections [INC-{world.Checkout}#{rootCause}]\n"
            + "**Actions**\n- None.\n**Decisions**\n- None.\n**Open questions**\n- None.");

        var answer = await model.Assistant.CatchUpAsync(new CatchupRequest(world.Checkout, IncidentWorld.Dave));

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Null(answer.FallbackReason);
        Assert.Equal(CatchupBasis.LastSeen, answer.Basis);
        Assert.Equal(world.CheckoutEntries["card-networks"], answer.LastSeenEntryId);
        var request = Assert.Single(model.Fake.ChatRequests).UserText;
        Assert.Contains("Root cause: v2.14.0 lowered the connection pool", request);
        Assert.DoesNotContain("Should we roll back?", request);
        Assert.DoesNotContain("notify the card networks", request);
        Assert.Equal(rootCause, Assert.Single(answer.Findings).Sources.Single().EntryId);
        Assert.Contains("**New findings**", answer.Text);
        Assert.DoesNotContain("**Decisions**", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task WhenTheModelSaysNothingChangedTheAnswerSaysSo()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = _ => FakeChatReply.Text("**Status and severity**\n- None.\n**New findings**\n- None.\n**Actions**\n- None.\n**Decisions**\n- None.\n**Open questions**\n- None.");

        var answer = await model.Assistant.CatchUpAsync(new CatchupRequest(world.Checkout, IncidentWorld.Bob, Since: IncidentWorld.Now.AddMinutes(-5)));

        Assert.True(answer.NothingNew);
        Assert.Contains("Nothing new since", answer.Text);
    }

    [Fact]
    public async Task AFailingModelLeavesTheCoreToAnswerMarkedSo()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = _ => FakeChatReply.Unauthorized();

        var answer = await model.Assistant.CatchUpAsync(new CatchupRequest(world.Checkout, IncidentWorld.Dave));

        Assert.Equal(AssistantEngines.Deterministic, answer.Engine);
        Assert.NotNull(answer.FallbackReason);
        Assert.Contains(answer.Findings, line => line.Sources.Single().EntryId == world.CheckoutEntries["root-cause"]);
        Assert.Contains(answer.Decisions, line => line.Text.Contains("CI check on connection pool sizes", StringComparison.Ordinal));
        Assert.DoesNotContain(answer.Actions, line => line.Text.Contains("rolling back checkout-api", StringComparison.Ordinal));
    }
}
