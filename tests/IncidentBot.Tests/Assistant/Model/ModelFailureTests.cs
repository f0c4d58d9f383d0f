using IncidentBot.Assistant;
using IncidentBot.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>A model that fails never leaves a responder without an answer: the deterministic one comes, marked as such.</summary>
public sealed class ModelFailureTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    /// <remarks>
    /// The failures that answer get 30 s, far more than their retries take (the 429's Retry-After is 1 s): with a tight
    /// timeout, whether the timeout or the last failure ends the call would depend on how busy the machine is.
    /// </remarks>
    public static TheoryData<string, int, string> Failures => new()
    {
        { "401", 30, "refused the API key (HTTP 401)" },
        { "429", 30, "was rate-limited (HTTP 429)" },
        { "500", 30, "failed (HTTP 500)" },
        { "hang", 1, "did not answer within 1 s" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task AFailingModelGivesWayToTheDeterministicAnswerMarkedAsSuch(string failure, int timeoutSeconds, string reason)
    {
        // The circuit stays shut here: this is about one failing answer at a time.
        await using var model = await ModelHarness.StartAsync(
            world, resilience: ModelHarness.Impatient(timeoutSeconds) with { MinimumThroughput = 100 });
        model.Fake.Responder = _ => Reply(failure);

        var summary = await model.Assistant.SummarizeAsync(world.Checkout);
        var answer = await model.Assistant.AnswerAsync($"what was the root cause of incident-{world.Checkout}?");

        foreach (var fallback in new AssistantAnswer[] { summary, answer })
        {
            Assert.Equal(AssistantEngines.Deterministic, fallback.Engine);
            Assert.Equal($"The model engine did not answer: the model {reason}. This answer is from the deterministic engine.", fallback.FallbackReason);
        }

        if (failure == "429")
        {
            // Each of the two questions: the first request and both retries.
            Assert.Equal(2 * (1 + ModelHarness.Impatient().MaxRetries), model.Fake.ChatRequests.Count);
        }

        Assert.Contains("Rolled back checkout-api", summary.Text);
        Assert.Contains("connection pool from 50 to 5", answer.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(summary.Citations);
    }

    [Fact]
    public async Task AnUnauthorisedRequestIsNotRetried()
    {
        await using var model = await ModelHarness.StartAsync(world, resilience: ModelHarness.Impatient());
        model.Fake.Enqueue(FakeChatReply.Unauthorized(), FakeChatReply.Text("never sent"));

        var answer = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Deterministic, answer.Engine);
        Assert.Single(model.Fake.ChatRequests);
    }

    [Fact]
    public async Task ARateLimitIsRetriedAfterItsRetryAfterAndThenTheModelAnswers()
    {
        await using var model = await ModelHarness.StartAsync(world, resilience: ModelHarness.Impatient(timeoutSeconds: 5));
        model.Fake.Enqueue(FakeChatReply.RateLimited(retryAfterSeconds: 1), FakeChatReply.ServerError(), FakeChatReply.Text($"Three are open [INC-{world.Checkout}]."));

        var answer = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Null(answer.FallbackReason);
        var requests = model.Fake.ChatRequests;
        Assert.Equal(3, requests.Count);

        // Retry-After: 1 was honoured (the backoff of the 500 is 50 ms).
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task TheCircuitOpensAfterRepeatedFailuresSoLaterQuestionsDoNotReachTheModelAndItIsLoggedOnce()
    {
        await using var model = await ModelHarness.StartAsync(world, resilience: ModelHarness.Impatient() with { BreakDuration = TimeSpan.FromMinutes(5) });
        model.Fake.Responder = _ => FakeChatReply.ServerError();

        var answers = new List<QuestionAnswer>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await model.Assistant.AnswerAsync("how many incidents are currently ongoing?"));
        }

        // Three attempts for the first question, one more opens the circuit; nothing after that.
        Assert.Equal(4, model.Fake.ChatRequests.Count);
        Assert.All(answers, answer => Assert.Equal(AssistantEngines.Deterministic, answer.Engine));
        Assert.All(answers, answer => Assert.Equal(3, answer.Count));
        Assert.Contains("is paused after repeated failures", answers[^1].FallbackReason);
        var logged = Assert.Single(model.Logs.AtLeast(LogLevel.Warning));
        Assert.Contains("The chat model failed (HTTP 500)", logged.Message);
    }

    [Fact]
    public async Task TheCircuitClosesAgainWhenTheModelRecoversAndThatIsLoggedOnce()
    {
        // The circuit's clock is a fake one, moved past the break; no retry waits on it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var model = await ModelHarness.StartAsync(world, resilience: ModelHarness.Impatient() with { RetryDelay = TimeSpan.Zero }, modelTime: clock);
        model.Fake.Responder = _ => FakeChatReply.ServerError();
        for (var i = 0; i < 3; i++)
        {
            await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");
        }

        model.Fake.Responder = _ => FakeChatReply.Text($"Three are open [INC-{world.Checkout}].");
        var paused = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");
        clock.Advance(ModelHarness.Impatient().BreakDuration);
        var answer = await model.Assistant.AnswerAsync("how many incidents are currently ongoing?");

        Assert.Contains("is paused after repeated failures", paused.FallbackReason);
        Assert.Equal(AssistantEngines.Model, answer.Engine);
        Assert.Single(model.Logs.AtLeast(LogLevel.Warning));
        Assert.Single(model.Logs.Entries, line => line.Message == "The chat model answers again");
    }

    private static FakeChatReply Reply(string failure) => failure switch
    {
        "401" => FakeChatReply.Unauthorized(),
        "429" => FakeChatReply.RateLimited(retryAfterSeconds: 1),
        "500" => FakeChatReply.ServerError(),
        _ => FakeChatReply.Hang(),
    };
}
