using IncidentBot.Assistant;
using IncidentBot.Assistant.Related;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.Extensions.AI;

namespace IncidentBot.Tests.Assistant.Embeddings;

/// <summary>With <c>Assistant:LocalEmbeddings=false</c>, and the background embedder's rule of embedding only what changed.</summary>
public sealed class WordsOnlyTests(WordsOnlyWorld world, MiniLmFixture miniLm) : IClassFixture<WordsOnlyWorld>, IClassFixture<MiniLmFixture>
{
    [Fact]
    public async Task WithLocalEmbeddingsOffRelatedIncidentsAreRankedByWordsAndNothingIsEmbedded()
    {
        var services = world.Bot.App.Services;

        var related = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "botnet packets flooded the edge"));

        Assert.Null(services.GetRequiredService<IncidentEmbeddingModel>().Generator);
        Assert.NotEmpty(related.Hits);
        Assert.DoesNotContain(related.Hits.SelectMany(h => h.Reasons), reason => reason.Text.Contains("meaning", StringComparison.Ordinal));
        Assert.DoesNotContain("meaning", related.Text, StringComparison.Ordinal);
        Assert.Equal(0, await services.GetRequiredService<BackgroundIncidentEmbedder>().EmbedChangedAsync(null, CancellationToken.None));
        Assert.False(services.GetRequiredService<MiniLmEmbeddingGenerator>().IsLoaded);
    }

    [Fact]
    public async Task TheBackgroundEmbedderEmbedsNewAndChangedIncidentsOnly()
    {
        var counted = new CountingGenerator(miniLm.Generator);
        var services = world.Bot.App.Services;
        var embedder = new BackgroundIncidentEmbedder(
            new IncidentEmbeddingModel(counted, "counted"), world.Reader, services.GetRequiredService<IIncidentEmbeddingStore>(),
            services.GetRequiredService<IncidentBot.Cluster.ClusterJobs>(), world.Clock, services.GetRequiredService<ILogger<BackgroundIncidentEmbedder>>());
        var everyIncident = await world.Reader.CountAsync(new IncidentFilter());

        Assert.Equal(everyIncident, await embedder.EmbedChangedAsync(null, CancellationToken.None));
        Assert.Equal(0, await embedder.EmbedChangedAsync(null, CancellationToken.None));

        var edited = world.NumberOf("Disk full on the primary database");
        await world.EditAsync(edited, new IncidentEdit { Description = "The WAL volume filled up and postgres stopped accepting writes." }, SeededWorld.Bob);
        await world.SayAsync(edited, SeededWorld.Carol, "anyone have the dashboard link?");
        var declared = await world.DeclareAsync("Cache nodes evicted every session at once", Severity.Sev3, ["redis"], SeededWorld.Bob);
        counted.Inputs.Clear();

        Assert.Equal(2, await embedder.EmbedChangedAsync(null, CancellationToken.None));
        Assert.Equal(2, counted.Inputs.Count);
        Assert.Contains(counted.Inputs, text => text.StartsWith("Cache nodes evicted every session at once", StringComparison.Ordinal));
        Assert.Contains(counted.Inputs, text => text.Contains("The WAL volume filled up", StringComparison.Ordinal));
        Assert.All(counted.Batches, size => Assert.InRange(size, 1, BackgroundIncidentEmbedder.BatchSize));
        Assert.Equal(0, await embedder.EmbedChangedAsync([edited, declared], CancellationToken.None));
    }

    /// <summary>The real model, with a record of what it was asked to embed.</summary>
    private sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public List<string> Inputs { get; } = [];

        public List<int> Batches { get; } = [];

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            Inputs.AddRange(texts);
            Batches.Add(texts.Count);
            return base.GenerateAsync(texts, options, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The fixture's model outlives this wrapper.
        }
    }
}
