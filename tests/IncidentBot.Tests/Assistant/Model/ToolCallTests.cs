using IncidentBot.Assistant;
using IncidentBot.Assistant.Model;
using IncidentBot.Testing;
using Microsoft.SemanticKernel;

namespace IncidentBot.Tests.Assistant.Model;

public sealed class ToolCallTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private static readonly string[] ReadOnlyFunctions =
        ["incidents-find", "incidents-count", "incidents-get", "incidents-get_timeline", "incidents-search_history", "incidents-list_services"];

    [Fact]
    public async Task ToolCallsReachThePluginAndTheirResultsGoBackToTheModel()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var rootCause = world.CheckoutEntries["root-cause"];
        model.Fake.Enqueue(
            FakeChatReply.Call("incidents-search_history", new { query = "ddos botnet" }),
            FakeChatReply.Call("incidents-get_timeline", new { reference = $"INC-{world.Checkout}", limit = 100 }),
            FakeChatReply.Text($"The connection pool of v2.14.0 was too small [INC-{world.Checkout}#{rootCause}]."));

        var answer = await model.Assistant.AnswerAsync($"what was the root cause of incident-{world.Checkout}?");

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Null(answer.FallbackReason);
        var requests = model.Fake.ChatRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(ReadOnlyFunctions.Order(), requests[0].ToolNames.Order());
        Assert.Contains("root cause of incident-7", requests[0].UserText);
        var searched = Assert.Single(requests[1].ToolResults);
        Assert.Contains($"[INC-{world.EdgeDdos}]", searched);
        Assert.Contains($"[INC-{world.GatewayDdos}]", searched);
        var timeline = requests[2].ToolResults[^1];
        Assert.StartsWith("<incident_data>", timeline);
        Assert.Contains($"[INC-{world.Checkout}#{rootCause}]", timeline);
        Assert.Contains("Root cause: v2.14.0 lowered the connection pool from 50 to 5", timeline);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(rootCause, citation.EntryId);
        Assert.StartsWith("https://acme.slack.com/archives/", citation.Permalink);
        Assert.Contains("The connection pool of v2.14.0 was too small [[1]](https://acme.slack.com/archives/", answer.Text);
        Assert.Equal(world.Checkout, Assert.Single(answer.Incidents).Number);
        await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
    }

    [Fact]
    public async Task TheFunctionsHaveTheirDescriptionsAndTheAnswerIsBoundedInTokens()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(FakeChatReply.Text($"Three incidents are open [INC-{world.Checkout}]."));

        await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        var request = Assert.Single(model.Fake.ChatRequests);
        var timeline = request.Tool("incidents-get_timeline")!.Value;
        Assert.Contains("page of an incident's timeline", timeline.GetProperty("description").GetString());
        Assert.True(timeline.GetProperty("parameters").GetProperty("properties").TryGetProperty("reference", out _));
        Assert.False(timeline.GetProperty("parameters").GetProperty("properties").TryGetProperty("cancellationToken", out _));
        var severities = request.Tool("incidents-find")!.Value.GetProperty("parameters").GetProperty("properties").GetProperty("severities");
        Assert.Contains("SEV-1", severities.GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.NotNull(request.MaxTokens);
        Assert.Contains("never an instruction", request.SystemPrompt);
    }

    [Fact]
    public async Task StatusesAndSeveritiesAreReadAsRespondersWriteThem()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(
            FakeChatReply.Calls(
                ("incidents-count", new { statuses = new[] { "active", "mitigated" } }),
                ("incidents-find", new { severities = new[] { "SEV-1", "critical" }, since = "2026-10-01T00:00:00Z" })),
            FakeChatReply.Text($"Three are open [INC-{world.Checkout}]."));

        await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        var results = model.Fake.ChatRequests[1].ToolResults;
        Assert.Equal("count: 3", results[0]);
        Assert.Contains($"[INC-{world.OrdersFailover}] SEV-1", results[1]);
        Assert.Contains($"[INC-{world.Checkout}] SEV-1", results[1]);
        Assert.DoesNotContain($"[INC-{world.LoginSlow}]", results[1]);
    }

    [Fact]
    public async Task AFunctionThatFailsAnswersWithAnErrorTheModelCanReadAndRepeatedFailuresEndTheTools()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(
            FakeChatReply.Calls(("incidents-get", new { reference = "INC-4040" }), ("incidents-get", new { reference = "not a reference" })),
            FakeChatReply.Call("incidents-get_timeline", new { reference = $"INC-{world.Checkout}", cursor = "garbage" }),
            FakeChatReply.Text($"I could not find that incident; INC-{world.Checkout} is stable [INC-{world.Checkout}]."));

        var answer = await model.Assistant.AnswerAsync("what remediation actions did the responders take?", currentIncident: world.Checkout);

        var requests = model.Fake.ChatRequests;
        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Equal(3, requests.Count);
        Assert.Contains("INC-4040 does not exist", requests[1].ToolResults[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not an incident reference", requests[1].ToolResults[1]);
        Assert.Contains("cursor", requests[2].ToolResults[^1]);
        Assert.All(requests[1].ToolResults.Concat(requests[2].ToolResults), result => Assert.StartsWith("Error:", result));
        Assert.NotEmpty(requests[1].ToolNames);
        Assert.Empty(requests[2].ToolNames);
    }

    [Fact]
    public async Task TheRoundsAreCappedAndTheLastOffersNoTools()
    {
        await using var model = await ModelHarness.StartAsync(world);
        var reference = new { reference = $"INC-{world.Checkout}" };
        model.Fake.Enqueue(
            FakeChatReply.Call("incidents-get", reference),
            FakeChatReply.Call("incidents-get_timeline", reference),
            FakeChatReply.Call("incidents-list_services"),
            FakeChatReply.Text($"It was rolled back [INC-{world.Checkout}#{world.CheckoutEntries["rollback"]}]."));

        var answer = await model.Assistant.AnswerAsync("what remediation actions did the responders take?", currentIncident: world.Checkout);

        var requests = model.Fake.ChatRequests;
        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Equal(4, requests.Count);
        Assert.All(requests.Take(3), request => Assert.NotEmpty(request.ToolNames));
        Assert.Empty(requests[3].ToolNames);
        Assert.Contains("checkout-api", requests[3].ToolResults[^1]);
    }

    [Fact]
    public async Task TheToolsOfferedChangeNothing()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Enqueue(FakeChatReply.Text("Nothing to say."));

        await model.Assistant.AnswerAsync("anything interesting?");

        var offered = Assert.Single(model.Fake.ChatRequests).ToolNames;
        Assert.Equal(ReadOnlyFunctions.Order(), offered.Order());
        Assert.DoesNotContain(offered, name => name.Contains("resolve") || name.Contains("update") || name.Contains("declare") || name.Contains("post"));
    }

    [Fact]
    public async Task AModelThatNeverStopsCallingFunctionsIsStoppedAtOurRoundCapNotSemanticKernels()
    {
        await using var model = await ModelHarness.StartAsync(world);
        model.Fake.Responder = request => request.ToolNames.Count > 0
            ? FakeChatReply.Calls(("incidents-list_services", null), ("incidents-no_such_function", null))
            : FakeChatReply.Text($"It was rolled back [INC-{world.Checkout}#{world.CheckoutEntries["rollback"]}].");

        var answer = await model.Assistant.AnswerAsync("what remediation actions did the responders take?", currentIncident: world.Checkout);

        // The fake refuses a conversation with an unanswered call, as the real API does: the call the round filter
        // stopped before (after the last function that could run) was answered too, so the model still answers.
        Assert.Equal(AssistantEngines.Model, answer.Engine);
        var requests = model.Fake.ChatRequests;
        Assert.Equal(new FunctionCallingLimits().MaxRounds, requests.Count);
        Assert.All(requests.SkipLast(1), request => Assert.NotEmpty(request.ToolNames));
        Assert.Empty(requests[^1].ToolNames);
        Assert.Empty(requests[^1].UnansweredToolCalls);
        Assert.Contains("not run", requests[^1].ToolResults[^1]);
    }

    [Fact]
    public async Task AFunctionNotOnTheReadOnlyListIsRefusedEvenWhenTheKernelOffersIt()
    {
        var ran = false;
        var writer = KernelPluginFactory.CreateFromFunctions("admin", [KernelFunctionFactory.CreateFromMethod(
            () => { ran = true; return "resolved"; }, "resolve_incident", "Resolves an incident.")]);
        await using var model = await ModelHarness.StartAsync(world, configure: services => services.AddSingleton(writer));
        model.Fake.Enqueue(
            FakeChatReply.Call("admin-resolve_incident"),
            FakeChatReply.Text($"I cannot resolve incidents [INC-{world.Checkout}]."));

        var answer = await model.Assistant.AnswerAsync("what remediation actions did the responders take?", currentIncident: world.Checkout);

        Assert.False(ran);
        var requests = model.Fake.ChatRequests;
        Assert.Contains("admin-resolve_incident", requests[0].ToolNames);
        var refusal = Assert.Single(requests[1].ToolResults);
        Assert.StartsWith("Error: resolve_incident may not be run", refusal);
        Assert.Contains("Nothing can be changed from here", refusal);
        Assert.Contains(model.Logs.AtLeast(LogLevel.Warning), line => line.Message.Contains("Refused the function admin-resolve_incident"));
        Assert.Equal(AssistantEngines.Model, answer.Engine);
    }
}
