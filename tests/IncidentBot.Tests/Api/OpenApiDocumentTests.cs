using System.Text.Json;
using IncidentBot.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace IncidentBot.Tests.Api;

/// <summary><c>/openapi/v1.json</c> describes every REST endpoint the bot maps, with the shapes it reads and answers.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private TestBot bot = null!;
    private JsonElement document;

    public async Task InitializeAsync()
    {
        bot = await TestBot.StartAsync(database.ConnectionString);
        using var anonymous = bot.AnonymousClient();
        document = await TestBot.ReadSuccessAsync(await anonymous.GetAsync("/openapi/v1.json"));
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public void EveryMappedApiEndpointIsInTheDocument()
    {
        var mapped = bot.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(endpoint => endpoint.Metadata.GetRequiredMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().HttpMethods
                .Select(method => (Path: endpoint.RoutePattern.RawText!.TrimEnd('/'), Method: method.ToLowerInvariant())))
            .ToList();
        var paths = document.GetProperty("paths");

        Assert.True(mapped.Count >= 16, $"{mapped.Count} endpoints mapped");
        Assert.All(mapped, endpoint => Assert.True(
            paths.TryGetProperty(endpoint.Path, out var operations) && operations.TryGetProperty(endpoint.Method, out _),
            $"{endpoint.Method.ToUpperInvariant()} {endpoint.Path} is not in the document"));
        Assert.False(paths.TryGetProperty("/slack/events", out _));
        Assert.False(paths.TryGetProperty("/metrics", out _));
    }

    [Fact]
    public void RequestsAndAnswersHaveTheirShapes()
    {
        var declare = document.GetProperty("paths").GetProperty("/api/incidents").GetProperty("post");

        Assert.Equal("#/components/schemas/CreateIncidentRequest",
            declare.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/IncidentDto",
            declare.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(declare.GetProperty("responses").TryGetProperty("400", out _));
        Assert.Equal("bearer", declare.GetProperty("security")[0].EnumerateObject().Single().Name);
        var ask = document.GetProperty("paths").GetProperty("/api/ask").GetProperty("post");
        Assert.Equal("#/components/schemas/AnswerDto",
            ask.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Theory]
    [InlineData("CreateIncidentRequest")]
    [InlineData("UpdateIncidentRequest")]
    [InlineData("TimelinePostRequest")]
    [InlineData("LinkRequest")]
    [InlineData("AskRequest")]
    [InlineData("PostmortemRequest")]
    public void EveryRequestFieldSaysTheFormItTakes(string schema)
    {
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");

        Assert.All(properties.EnumerateObject(), field => Assert.False(
            string.IsNullOrWhiteSpace(field.Value.TryGetProperty("description", out var description) ? description.GetString() : null),
            $"{schema}.{field.Name} has no description"));
    }
}
