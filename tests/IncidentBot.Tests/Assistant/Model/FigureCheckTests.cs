using IncidentBot.Assistant;
using IncidentBot.Assistant.Model;
using IncidentBot.Incidents;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>A count or a duration the model states is compared with the store's; a wrong one is not given.</summary>
public sealed class FigureCheckTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task AWrongCountFallsBackToTheStoresAnswerMarkedSo()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(FakeChatReply.Text($"There are 5 incidents ongoing [INC-{world.Checkout}]."));

        var answer = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Deterministic, answer.Engine);
        Assert.Equal(3, answer.Count);
        Assert.StartsWith("**3** ongoing", answer.Text);
        Assert.Equal("The model engine did not answer: the model stated 5 incidents where the store counts 3. This answer is from the deterministic engine.", answer.FallbackReason);
    }

    [Theory]
    [InlineData("There are 3 ongoing incidents")]
    [InlineData("Three incidents are open right now")]
    [InlineData("The open ones are listed below; nothing else is going on")]
    public async Task ARightCountOrNoneAtAllKeepsTheModelsAnswer(string reply)
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(FakeChatReply.Text($"{reply} [INC-{world.Checkout}] [INC-{world.PaymentTimeouts}] [INC-{world.LoginSlow}]."));

        var answer = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Null(answer.FallbackReason);
    }

    [Fact]
    public async Task AWrongMttrFallsBackAndARightOneIsKept()
    {
        var store = await world.Assistant.AnswerAsync("what was the MTTR last month?");
        var mttr = Assert.IsType<TimeSpan>(store.Duration);
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(
            FakeChatReply.Text($"The MTTR last month was 9 hours [INC-{world.OrdersFailover}]."),
            FakeChatReply.Text($"The MTTR last month was {(int)mttr.TotalMinutes} minutes [INC-{world.OrdersFailover}]."));

        var wrong = await model.Assistant.AnswerAsync("what was the MTTR last month?");
        var right = await model.Assistant.AnswerAsync("what was the MTTR last month?");

        Assert.Equal(AssistantEngines.Deterministic, wrong.Engine);
        Assert.Equal(mttr, wrong.Duration);
        Assert.Contains($"the model stated 9 h where the store computes {TimeText.Duration(mttr)}", wrong.FallbackReason);
        Assert.Equal(AssistantEngines.Model, right.Engine);
    }

    [Theory]
    [InlineData("There are 3 SEV-1 incidents since 07:30 [INC-7]", 3)]
    [InlineData("No incidents matched", 0)]
    [InlineData("INC-7 and INC-8 are open", null)]
    [InlineData("2 open SEV-1 incidents", 2)]
    public void TheFirstNumberOfIncidentsIsTheCountStated(string text, int? count)
    {
        Assert.Equal(count, FigureCheck.StatedCount(text));
    }

    [Theory]
    [InlineData("MTTR: 1 h 30 min, from INC-4 (2 h)", 90)]
    [InlineData("it took 90 minutes", 90)]
    [InlineData("about 1.5 hours", 90)]
    [InlineData("v2.13.2 at 07:22, 38% failed", null)]
    public void TheFirstDurationIsTheDurationStated(string text, int? minutes)
    {
        Assert.Equal(minutes is null ? null : TimeSpan.FromMinutes(minutes.Value), FigureCheck.StatedDuration(text));
    }
}
