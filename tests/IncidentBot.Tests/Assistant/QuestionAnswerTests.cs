using IncidentBot.Assistant;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

/// <summary>product.md's questions, asked as written, against the world's history.</summary>
public sealed class QuestionAnswerTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task HowManyIncidentsAreCurrentlyOngoing()
    {
        var answer = await world.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal("count", answer.Kind);
        Assert.Equal(3, answer.Count);
        Assert.Equal([world.LoginSlow, world.PaymentTimeouts, world.Checkout], answer.Incidents.Select(i => i.Number));
        Assert.StartsWith("**3** ongoing", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task ShowMeAllSev1IncidentsThatOccurredInThePastWeek()
    {
        var answer = await world.Assistant.AnswerAsync("show me all Sev-1 incidents that occurred in the past week");

        Assert.Equal("list", answer.Kind);
        Assert.Equal([world.Checkout, world.OrdersFailover], answer.Incidents.Select(i => i.Number));
        Assert.DoesNotContain(answer.Incidents, i => i.Number == world.EdgeDdos);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Theory]
    [InlineData("were there any incidents in the past month that impacted the payments service?")]
    [InlineData("Any incidents affecting payments in the last 30 days?")]
    [InlineData("list incidents that hit the payment service over the past month")]
    public async Task WereThereAnyIncidentsInThePastMonthThatImpactedThePaymentsService(string question)
    {
        var answer = await world.Assistant.AnswerAsync(question);

        Assert.Equal("list", answer.Kind);
        Assert.Equal([world.PaymentTimeouts, world.Checkout, world.CardsDeclined], answer.Incidents.Select(i => i.Number));
        Assert.DoesNotContain(answer.Incidents, i => i.Number == world.RefundsStuck);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task ACustomerIsUnableToCheckOutIsThereAnIncident()
    {
        var answer = await world.Assistant.AnswerAsync("a customer is unable to check out. Is there an incident?");

        Assert.Equal("symptom", answer.Kind);
        Assert.Equal(world.Checkout, answer.Incidents[0].Number);
        Assert.All(answer.Incidents, i => Assert.True(i.Status is IncidentStatus.Active or IncidentStatus.Stable));
        Assert.StartsWith("**Possibly", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task ASymptomNoOpenIncidentHasPointsAtRecentOnesOrSaysThereIsNone()
    {
        var disk = await world.Assistant.AnswerAsync("elasticsearch is yellow, is there an incident?");
        var nothing = await world.Assistant.AnswerAsync("the coffee machine is broken, is there an incident?");

        Assert.Empty(disk.Incidents);
        Assert.Contains("No incident matches", disk.Text);
        Assert.Empty(nothing.Incidents);
    }

    [Theory]
    [InlineData("what was the root cause of incident-7?")]
    [InlineData("What caused INC-7?")]
    [InlineData("root cause?")]
    public async Task WhatWasTheRootCause(string question)
    {
        var answer = await world.Assistant.AnswerAsync(question, currentIncident: world.Checkout);

        Assert.Equal("root_cause", answer.Kind);
        Assert.Contains("lowered the connection pool from 50 to 5", answer.Text);
        Assert.Contains(answer.Citations, c => c.EntryId == world.CheckoutEntries["root-cause"] && c.Permalink is not null);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task TheRootCauseOfAnotherIncidentIsThatIncidents()
    {
        var answer = await world.Assistant.AnswerAsync($"what was the root cause of incident-{world.EdgeDdos}?", currentIncident: world.Checkout);

        Assert.Equal(world.EdgeDdos, Assert.Single(answer.Incidents).Number);
        Assert.Contains("rented botnet", answer.Text);
        Assert.All(answer.Citations, c => Assert.Equal(world.EdgeDdos, c.IncidentNumber));
    }

    [Fact]
    public async Task AnIncidentWithoutAStatedRootCauseSaysSo()
    {
        var answer = await world.Assistant.AnswerAsync($"what was the root cause of incident-{world.SearchLatency}?");

        Assert.Contains("does not state a root cause yet", answer.Text);
    }

    [Theory]
    [InlineData("what remediation actions did the responders take in incident-7?")]
    [InlineData("what did the responders do in INC-7?")]
    [InlineData("how was incident 7 mitigated?")]
    public async Task WhatRemediationActionsDidTheRespondersTake(string question)
    {
        var answer = await world.Assistant.AnswerAsync(question);

        Assert.Equal("remediation", answer.Kind);
        Assert.Contains("Rolled back checkout-api to v2.13.2", answer.Text);
        Assert.Contains(answer.Citations, c => c.EntryId == world.CheckoutEntries["rollback"]);
        Assert.Single(answer.Text.Split('\n'), line => line.Contains("Mitigation summary"));
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task GiveMeASummaryOfThisIncident()
    {
        var answer = await world.Assistant.AnswerAsync("give me a summary of this incident", currentIncident: world.Checkout);

        Assert.Equal("summary", answer.Kind);
        Assert.Contains("Rolled back checkout-api", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task AreThereAnyRelatedIncidents()
    {
        var answer = await world.Assistant.AnswerAsync("are there any related incidents?", currentIncident: world.Checkout);

        Assert.Equal("related", answer.Kind);
        Assert.Equal(world.PaymentTimeouts, answer.Incidents[0].Number);
    }

    [Fact]
    public async Task FindMeIncidentsRelatedToDdosAttacksFromThePastMonth()
    {
        var answer = await world.Assistant.AnswerAsync("find me incidents related to DDOS attacks from the past month", currentIncident: world.Checkout);

        Assert.Equal("related", answer.Kind);
        Assert.Equal([world.GatewayDdos], answer.Incidents.Select(i => i.Number));
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task QuestionsAboutAnIncidentOutsideOneAskWhichIncident()
    {
        var answer = await world.Assistant.AnswerAsync("what was the root cause?");

        Assert.Contains("Which incident?", answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task EveryAnswerSaysItComesFromTheDeterministicEngine()
    {
        foreach (var question in new[] { "how many incidents are currently ongoing?", "elasticsearch", "hello", "what was the root cause?" })
        {
            var answer = await world.Assistant.AnswerAsync(question);

            Assert.Equal(AssistantEngines.Deterministic, answer.Engine);
            Assert.Contains("eterministic engine, no model", answer.Text);
        }
    }
}
