using IncidentBot.Assistant.Related;
using IncidentBot.Testing;
using Microsoft.Extensions.AI;

namespace IncidentBot.Tests.Assistant.Embeddings;

/// <summary>The in-process all-MiniLM-L6-v2 behind Microsoft.Extensions.AI's embedding port.</summary>
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture miniLm) : IClassFixture<MiniLmFixture>
{
    [Fact]
    public async Task VectorsHave384DimensionsOfUnitLength()
    {
        var embeddings = await miniLm.Generator.GenerateAsync(["The API gateway dropped requests", "certificate expired"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, embedding =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, embedding.Vector.Length);
            Assert.Equal(1.0, Math.Sqrt(embedding.Vector.Span.ToArray().Sum(x => (double)x * x)), 3);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embedding.ModelId);
        });
        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, miniLm.Generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task SentencesSimilarInMeaningScoreHigherThanUnrelatedOnes()
    {
        var embeddings = await miniLm.Generator.GenerateAsync([
            "A botnet flooded our load balancers with junk packets",
            "Distributed denial of service attack against the edge network",
            "The quarterly marketing newsletter had a typo in the subject line",
        ]);

        var similar = SemanticRanker.Cosine(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var unrelated = SemanticRanker.Cosine(embeddings[0].Vector.Span, embeddings[2].Vector.Span);

        Assert.True(similar > unrelated + 0.2, $"similar {similar:0.00}, unrelated {unrelated:0.00}");
    }

    [Fact]
    public async Task CallersArrivingTogetherShareOneModel()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        Assert.False(generator.IsLoaded);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => generator.GenerateAsync([$"disk {i} is full"])));

        Assert.True(generator.IsLoaded);
        Assert.All(results, result => Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, Assert.Single(result).Vector.Length));
    }

    [Fact]
    public async Task TheModelIsUnloadedAfterItsIdleTimeAndLoadedAgainOnTheNextCall()
    {
        var clock = new FakeClock();
        using var generator = new MiniLmEmbeddingGenerator(clock, TimeSpan.FromMinutes(10));
        var first = await generator.GenerateAsync(["disk is full on the primary"]);

        clock.Advance(TimeSpan.FromMinutes(9));
        await generator.GenerateAsync(["still in use"]);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(generator.IsLoaded);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(generator.IsLoaded);

        var again = await generator.GenerateAsync(["disk is full on the primary"]);
        Assert.True(generator.IsLoaded);
        Assert.Equal(first[0].Vector.ToArray(), again[0].Vector.ToArray());
    }

    [Fact]
    public async Task AnIdleTimeOfZeroKeepsTheModelLoaded()
    {
        var clock = new FakeClock();
        using var generator = new MiniLmEmbeddingGenerator(clock, TimeSpan.Zero);
        await generator.GenerateAsync(["certificate expired"]);

        clock.Advance(TimeSpan.FromDays(1));

        Assert.True(generator.IsLoaded);
    }
}

/// <summary>One loaded model for a test class: loading takes about a second.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}
