using System.Net.Http.Json;
using System.Text.RegularExpressions;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>The REST API of a bot configured with <c>Ai:*</c> pointing at the fake model.</summary>
public sealed partial class ModelApiTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private FakeOpenAi fake = null!;
    private TestBot bot = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeOpenAi.StartAsync();
        bot = await TestBot.StartAsync(database.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "openai",
            ["Ai:Endpoint"] = fake.Endpoint.ToString(),
            ["Ai:ApiKey"] = fake.ApiKey,
            ["Ai:Model"] = "fake-model",
            ["Ai:TimeoutSeconds"] = "5",
        });
        await bot.DeclareAsync(new { title = "Checkout failing after deploy", severity = "SEV-1", services = new[] { "checkout-api" } });
        foreach (var message in new[] { "502s from checkout-api since 07:20", "Rolled back checkout-api to v2.13.2", "Error rate back to normal" })
        {
            await TestBot.ReadSuccessAsync(await bot.Client.PostAsJsonAsync("/api/incidents/INC-1/timeline", new { message, type = "update" }));
        }

        fake.Responder = Answer;
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        await fake.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task TheSummaryComesFromTheModelEngine()
    {
        var body = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/summary"));

        Assert.Equal("model", body.GetProperty("engine").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("fallbackReason").ValueKind);
        Assert.Contains("rolled back to v2.13.2 [", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(body.GetProperty("done").EnumerateArray());
        Assert.Contains(body.GetProperty("citations").EnumerateArray(), c => c.GetProperty("entryId").ValueKind == System.Text.Json.JsonValueKind.Number);
        Assert.Equal($"Bearer {fake.ApiKey}", Assert.Single(fake.ChatRequests).Authorization);
    }

    [Fact]
    public async Task AQuestionIsAnsweredByTheModelWithTheFunctions()
    {
        var body = await TestBot.ReadSuccessAsync(await bot.Client.PostAsJsonAsync("/api/ask", new { question = "what remediation actions did the responders take in INC-1?" }));

        Assert.Equal("model", body.GetProperty("engine").GetString());
        Assert.Contains("rolled back", body.GetProperty("text").GetString());
        Assert.Equal(2, fake.ChatRequests.Count);
        Assert.Contains("Rolled back checkout-api to v2.13.2", fake.ChatRequests[1].ToolResults.Single());
        Assert.Equal("INC-1", Assert.Single(body.GetProperty("incidents").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AFailingModelStillAnswersThroughTheApiMarkedAsDeterministic()
    {
        fake.Responder = _ => FakeChatReply.Unauthorized();

        var body = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/summary"));

        Assert.Equal("deterministic", body.GetProperty("engine").GetString());
        Assert.Contains("refused the API key (HTTP 401)", body.GetProperty("fallbackReason").GetString());
    }

    /// <summary>Looks the incident's timeline up when offered functions, then answers citing the rollback entry it saw.</summary>
    private static FakeChatReply Answer(FakeChatRequest request)
    {
        var seen = request.ToolResults.Count > 0 ? string.Join("\n", request.ToolResults) : request.UserText;
        if (request.ToolNames.Count > 0 && request.ToolResults.Count == 0)
        {
            return FakeChatReply.Call("incidents-get_timeline", new { reference = "INC-1" });
        }

        var rollback = RollbackLine().Match(seen).Groups[1].Value;
        return FakeChatReply.Text($"**Overview**\nCheckout broke after a deploy [INC-1].\n**What has been done**\n- rolled back to v2.13.2 {rollback}");
    }

    [GeneratedRegex(@"(\[INC-1#\d+\])[^\n]*Rolled back checkout-api")]
    private static partial Regex RollbackLine();
}
