using IncidentBot.Assistant;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Assistant.Model;

/// <summary>Related incidents with an embedding model: similarity in meaning joins the ranking by words and services.</summary>
public sealed class SemanticRelatedTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private static readonly string[] AttackWords = ["ddos", "syn flood", "botnet", "deluge", "hostile"];
    private static readonly string[] PaymentWords = ["checkout", "payment"];

    [Fact]
    public async Task IncidentsSimilarInMeaningAreFoundWhereNoWordMatchesAndSaySo()
    {
        await using var model = await ModelHarness.StartAsync(world, embeddings: true, embeddingModel: "attack-words");
        model.Fake.Embed = text => Direction(text, AttackWords);
        model.Fake.Responder = _ => FakeChatReply.Text($"Both were attacks on the edge [INC-{world.EdgeDdos}] [INC-{world.GatewayDdos}].");
        var words = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "hostile packet deluge"));

        var related = await model.Assistant.FindRelatedAsync(new RelatedRequest(Query: "hostile packet deluge"));

        Assert.Empty(words.Hits);
        Assert.Equal(AssistantEngines.Model, related.Engine);
        Assert.Equal([world.GatewayDdos, world.EdgeDdos], related.Hits.Select(h => h.Incident.Number).Order().Reverse());
        Assert.All(related.Hits, hit => Assert.Equal(
            "similar in meaning to the words (cosine 1.00 by attack-words)", Assert.Single(hit.Reasons).Text));
        Assert.Contains("similarity in meaning (attack-words, 9 incidents compared)", related.Text);
        Assert.Contains("Both were attacks on the edge", related.Text);
        await world.AssertCitationsPointAtRealEntriesAsync(related.Citations);
    }

    [Fact]
    public async Task EmbeddingsAreMadeOnceAndKeptUntilTheIncidentTextChanges()
    {
        await using var model = await ModelHarness.StartAsync(world, embeddings: true, embeddingModel: "kept");
        model.Fake.Embed = text => Direction(text, AttackWords);
        model.Fake.Responder = _ => FakeChatReply.Text($"An attack [INC-{world.EdgeDdos}].");

        await model.Assistant.FindRelatedAsync(new RelatedRequest(Query: "hostile traffic"));
        await model.Assistant.FindRelatedAsync(new RelatedRequest(Query: "hostile traffic"));

        var requests = model.Fake.EmbeddingRequests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[0].Inputs.Count >= 2);
        Assert.Equal(["hostile traffic"], requests[1].Inputs);
        await using var connection = await world.Bot.App.Services.GetRequiredService<SqliteDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(model), MIN(dimensions) FROM incident_embeddings WHERE model = 'kept';";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(9, reader.GetInt64(0));
        Assert.Equal("kept", reader.GetString(1));
        Assert.Equal(3, reader.GetInt64(2));
    }

    [Fact]
    public async Task RelatedToAnIncidentMeaningLeadsAndSharedServicesAndWordsAddToIt()
    {
        await using var model = await ModelHarness.StartAsync(world, embeddings: true, embeddingModel: "payment-words");
        model.Fake.Embed = text => Direction(text, PaymentWords);
        model.Fake.Responder = _ => FakeChatReply.Text($"Payments again [INC-{world.PaymentTimeouts}].");
        var byWords = await world.Assistant.FindRelatedAsync(world.Checkout);

        var related = await model.Assistant.FindRelatedAsync(world.Checkout);

        var payments = related.Hits[0];
        Assert.Equal(world.PaymentTimeouts, payments.Incident.Number);
        var lexical = byWords.Hits.Single(h => h.Incident.Number == world.PaymentTimeouts);
        Assert.Equal(Math.Round(1.0 + ByWords(lexical.Score), 3), payments.Score);
        Assert.Equal([.. lexical.Reasons.Select(r => r.Text), "similar in meaning to INC-7 (cosine 1.00 by payment-words)"], payments.Reasons.Select(r => r.Text));
        var login = related.Hits.Single(h => h.Incident.Number == world.LoginSlow);
        var loginByWords = byWords.Hits.Single(h => h.Incident.Number == world.LoginSlow);
        Assert.Equal(Rows([loginByWords with { Score = Math.Round(ByWords(loginByWords.Score), 3) }]), Rows([login]));
    }

    [Fact]
    public async Task WithoutAnEmbeddingModelTheRankingIsTheOneByWordsAndServices()
    {
        await using var model = await ModelHarness.StartAsync(world, embeddings: false);
        model.Fake.Responder = _ => FakeChatReply.Text($"Payments again [INC-{world.PaymentTimeouts}].");
        var byWords = await world.Assistant.FindRelatedAsync(world.Checkout);

        var related = await model.Assistant.FindRelatedAsync(world.Checkout);

        Assert.Equal(AssistantEngines.Model, related.Engine);
        Assert.Equal(Rows(byWords.Hits), Rows(related.Hits));
        Assert.Empty(model.Fake.EmbeddingRequests);
    }

    [Fact]
    public async Task AFailingEmbeddingModelLeavesTheRankingByWordsAndSaysSo()
    {
        await using var model = await ModelHarness.StartAsync(world, embeddings: true, resilience: ModelHarness.Impatient(), embeddingModel: "failing");
        model.Fake.EmbeddingFailure = FakeChatReply.Unauthorized();
        model.Fake.Responder = _ => FakeChatReply.Text($"Payments again [INC-{world.PaymentTimeouts}].");
        var byWords = await world.Assistant.FindRelatedAsync(world.Checkout);

        var related = await model.Assistant.FindRelatedAsync(world.Checkout);

        Assert.Equal(AssistantEngines.Model, related.Engine);
        Assert.Equal(Rows(byWords.Hits), Rows(related.Hits));
        Assert.Contains("similarity in meaning could not be computed this time", related.Text);
    }

    /// <summary>What the score by words and services adds to similarity in meaning: at most 0.2, half of it at 10.</summary>
    private static double ByWords(double score) => 0.2 * score / (score + 10);

    private static List<string> Rows(IEnumerable<RelatedIncident> hits) =>
        [.. hits.Select(h => $"{h.Incident.Reference} {h.Score}: {string.Join("; ", h.Reasons.Select(r => r.Text))}")];

    /// <summary>One direction for texts with any of the words, another for the rest: cosine 1 within a group, 0 across.</summary>
    private static float[] Direction(string text, string[] words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) ? [1, 0, 0] : [0, 1, 0];
}
