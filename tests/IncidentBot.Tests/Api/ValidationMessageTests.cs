using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Api;

/// <summary>A refused request says what is wrong in the words of the API's fields and forms, never in .NET's.</summary>
public sealed class ValidationMessageTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private TestBot bot = null!;

    public async Task InitializeAsync() => bot = await TestBot.StartAsync(database.ConnectionString);

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task AnUnknownFieldIsNamedWithTheFieldsAccepted()
    {
        var problem = await ProblemAsync(HttpStatusCode.BadRequest, await SendJsonAsync(HttpMethod.Post, "/api/incidents", """{"title":"Checkout down","foo":1}"""));

        Assert.Equal(
            "Unknown field 'foo'; accepted fields: title, severity, status, services, environment, description, impact, declaredBy, commanderId, impactStartedAt.",
            problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("foo", out _));
    }

    [Fact]
    public async Task AnUnknownQuestionFieldNamesTheQuestionFields()
    {
        var problem = await ProblemAsync(HttpStatusCode.BadRequest, await bot.Client.PostAsJsonAsync("/api/ask", new { question = "hi", model = "gpt" }));

        Assert.Equal("Unknown field 'model'; accepted fields: question, incident, actor.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/incidents", """{"title":"Checkout down","sevrity":"SEV-2"}""", "sevrity",
        "Unknown field 'sevrity'; did you mean severity? Accepted fields: title, severity, status, services, environment, description, impact, declaredBy, commanderId, impactStartedAt.")]
    [InlineData("/api/ask", """{"qeustion":"hi"}""", "qeustion",
        "Unknown field 'qeustion'; did you mean question? Accepted fields: question, incident, actor.")]
    public async Task AMisspelledFieldIsAnsweredWithTheFieldMeant(string path, string body, string field, string expected)
    {
        var problem = await ProblemAsync(HttpStatusCode.BadRequest, await SendJsonAsync(HttpMethod.Post, path, body));

        Assert.Equal(expected, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("""{"title":"x","services":"checkout-api"}""", "services must be a list of service names")]
    [InlineData("""{"title":"x","services":[1]}""", "services must be a list of service names")]
    [InlineData("""{"title":5}""", "title must be a text")]
    [InlineData("""{"title":"x","severity":2}""", "severity must be a text: SEV-1 … SEV-5")]
    [InlineData("""{"title":"a","title":"b"}""", "title is given twice")]
    [InlineData("""[]""", "send a JSON object with the fields title, severity")]
    public async Task AFieldOfTheWrongFormSaysTheFormItTakes(string body, string expected)
    {
        var problem = await ProblemAsync(HttpStatusCode.BadRequest, await SendJsonAsync(HttpMethod.Post, "/api/incidents", body));

        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyOverTheLimitSaysTheLimit()
    {
        var huge = JsonSerializer.Serialize(new { title = "x", description = new string('a', 2 * 1024 * 1024) });

        var problem = await ProblemAsync(HttpStatusCode.RequestEntityTooLarge, await SendJsonAsync(HttpMethod.Post, "/api/incidents", huge));

        Assert.Equal("The request body is too large: at most 1 MiB (1048576 bytes) is accepted.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonSaysTheMediaTypeAccepted()
    {
        var response = await bot.Client.PostAsync("/api/incidents", new StringContent("title=Checkout down", Encoding.UTF8, "text/plain"));

        var problem = await ProblemAsync(HttpStatusCode.UnsupportedMediaType, response);

        Assert.Equal(
            "The body must be JSON, sent with 'Content-Type: application/json'; this request gave 'text/plain; charset=utf-8'.",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ReopenIsAStatusChangeOverRestAsInSlack()
    {
        await bot.DeclareAsync(new { title = "Checkout down", severity = "sev2" });
        await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "resolved", resolutionSummary = "Rolled back" }));

        var reopened = await TestBot.ReadSuccessAsync(await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "reopen" }));

        Assert.Equal("active", reopened.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("resolvedAt").ValueKind);
        var timeline = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/INC-1/timeline"));
        Assert.Equal(2, timeline.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "status_changed"));
    }

    [Fact]
    public async Task AStatusNotKnownListsReopenAmongTheChanges()
    {
        await bot.DeclareAsync(new { title = "Checkout down" });

        var problem = await ProblemAsync(HttpStatusCode.BadRequest, await bot.Client.PatchAsJsonAsync("/api/incidents/INC-1", new { status = "sleeping" }));

        Assert.Contains("or reopen", problem.GetProperty("errors").GetProperty("status")[0].GetString());
    }

    private Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string json) =>
        bot.Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>The problem details of a refusal, which never speak of .NET types or members.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var dotnet in new[] { "System.", "IncidentBot.", ".NET", "could not be mapped", "could not be converted" })
        {
            Assert.DoesNotContain(dotnet, text, StringComparison.Ordinal);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
