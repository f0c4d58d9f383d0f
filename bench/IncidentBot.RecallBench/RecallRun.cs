using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Related;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.RecallBench;

/// <summary>
/// Declares every outage through <see cref="IncidentService"/> (its root cause as an update), embeds them as the
/// bot does in the background, then asks each search and counts the searches whose incident is in the top 5:
/// by words only, by meaning only, the fused ranking the bot uses, and reciprocal rank fusion for comparison.
/// </summary>
public sealed class RecallRun(OutageSet set, TextWriter log, string? dumpPath = null)
{
    public const int TopK = 5;

    /// <summary>The constant of reciprocal rank fusion as its authors chose it.</summary>
    private const int RrfK = 60;

    public async Task<RecallResult> MeasureAsync(CancellationToken cancellationToken)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"incidentbot-recall-{Guid.NewGuid():N}.db");
        try
        {
            var app = IncidentBotApp.Build(
                new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory },
                builder =>
                {
                    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = $"Data Source={databasePath}" });
                    builder.Logging.SetMinimumLevel(LogLevel.Warning);
                });
            await using var _ = app;
            await app.Services.GetRequiredService<SqliteDatabase>().MigrateAsync(cancellationToken);
            var services = app.Services;
            var rssBefore = Process.GetCurrentProcess().WorkingSet64;

            var numbers = await DeclareAsync(services.GetRequiredService<IncidentService>(), cancellationToken);
            var embedding = Stopwatch.StartNew();
            var embedded = await services.GetRequiredService<BackgroundIncidentEmbedder>().EmbedChangedAsync(null, cancellationToken);
            var embedMs = embedding.Elapsed.TotalMilliseconds;
            GC.Collect();
            var rssAfter = Process.GetCurrentProcess().WorkingSet64;
            log.WriteLine($"{embedded} incidents embedded in {embedMs:0} ms");

            var fused = services.GetRequiredService<DeterministicRelated>();
            var lexical = new DeterministicRelated(
                services.GetRequiredService<IncidentPlugin>(), TimeProvider.System, IncidentEmbeddingModel.None,
                services.GetRequiredService<IIncidentEmbeddingStore>(), services.GetRequiredService<IIncidentReader>(),
                services.GetRequiredService<ILogger<DeterministicRelated>>());
            var model = services.GetRequiredService<IncidentEmbeddingModel>();
            var vectors = await services.GetRequiredService<IIncidentEmbeddingStore>().GetAsync(model.Name!, numbers.Values.ToList(), cancellationToken);

            var tuning = new RecallTally();
            var heldOut = new RecallTally();
            var symptoms = new RecallTally();
            var misses = new List<string>();
            var titles = set.Incidents.ToDictionary(o => numbers[o.Key], o => o.Title);
            var dump = new List<object>();
            var searching = Stopwatch.StartNew();
            foreach (var outage in set.Incidents)
            {
                var asked = outage.Searches.Select(s => (s, tuning)).Concat(outage.HeldOutSearches.Select(s => (s, heldOut)))
                    .Concat((outage.SymptomSearches ?? []).Select(s => (s, symptoms)));
                foreach (var (search, tally) in asked)
                {
                    var expected = numbers[outage.Key];
                    var lexicalHits = (await lexical.FindRelatedAsync(new RelatedRequest(Query: search), null, cancellationToken)).Hits;
                    var byWords = Numbers(lexicalHits);
                    if (dumpPath is not null)
                    {
                        var q = (await model.Generator!.GenerateAsync([search], cancellationToken: cancellationToken))[0].Vector;
                        dump.Add(new
                        {
                            search, expected, heldOut = tally != tuning,
                            lexical = lexicalHits.ToDictionary(h => h.Incident.Number.ToString(CultureInfo.InvariantCulture), h => h.Score),
                            cosine = vectors.Values.ToDictionary(v => v.IncidentNumber.ToString(CultureInfo.InvariantCulture), v => TensorPrimitives.CosineSimilarity(q.Span, v.Vector.Span)),
                        });
                    }

                    var byMeaning = await ByMeaningAsync(model.Generator!, vectors, search, cancellationToken);
                    var byBoth = Numbers((await fused.FindRelatedAsync(new RelatedRequest(Query: search), null, cancellationToken)).Hits);
                    var rrf = ReciprocalRankFusion(byWords, byMeaning);
                    tally.Add(byWords.Take(TopK).Contains(expected), byMeaning.Take(TopK).Contains(expected), byBoth.Take(TopK).Contains(expected), rrf.Take(TopK).Contains(expected));
                    if (!byBoth.Take(TopK).Contains(expected))
                    {
                        misses.Add($"“{search}” → {outage.Title} (fused ranks: {string.Join(", ", byBoth.Take(TopK).Select(n => titles[n]))})");
                    }
                }
            }

            if (dumpPath is not null)
            {
                await File.WriteAllTextAsync(dumpPath, System.Text.Json.JsonSerializer.Serialize(dump), cancellationToken);
            }

            var perSearchMs = searching.Elapsed.TotalMilliseconds / (tuning.Count + heldOut.Count + symptoms.Count);
            return new RecallResult(set.Incidents.Count, tuning, heldOut, symptoms, misses, embedded, embedMs, perSearchMs, rssBefore, rssAfter);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(databasePath) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private async Task<Dictionary<string, long>> DeclareAsync(IncidentService incidents, CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<string, long>();
        foreach (var outage in set.Incidents)
        {
            var incident = await incidents.DeclareAsync(new IncidentDraft
            {
                Title = outage.Title,
                Severity = Severity.Sev2,
                Services = [.. outage.Services],
                DeclaredBy = "U0RECALL",
                CustomerImpact = outage.Impact,
                Description = outage.Description,
            }, cancellationToken);
            await incidents.PostAsync(incident.Number, TimelineEntryKind.Update, outage.RootCause, "U0RECALL", cancellationToken);
            numbers[outage.Key] = incident.Number;
        }

        return numbers;
    }

    private static List<long> Numbers(IEnumerable<RelatedIncident> hits) => [.. hits.Select(h => h.Incident.Number)];

    private static async Task<List<long>> ByMeaningAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyDictionary<long, IncidentEmbedding> vectors, string search, CancellationToken cancellationToken)
    {
        var query = (await generator.GenerateAsync([search], cancellationToken: cancellationToken))[0].Vector;
        return [.. vectors.Values.OrderByDescending(v => TensorPrimitives.CosineSimilarity(query.Span, v.Vector.Span)).Select(v => v.IncidentNumber).Take(10)];
    }

    private static List<long> ReciprocalRankFusion(IReadOnlyList<long> byWords, IReadOnlyList<long> byMeaning)
    {
        var scores = new Dictionary<long, double>();
        foreach (var list in new[] { byWords, byMeaning })
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                scores[list[rank]] = scores.GetValueOrDefault(list[rank]) + (1.0 / (RrfK + rank + 1));
            }
        }

        return [.. scores.OrderByDescending(s => s.Value).Select(s => s.Key)];
    }
}

/// <summary>How many searches of one kind found their incident in the top 5, by each ranking.</summary>
public sealed class RecallTally
{
    public int Count { get; private set; }
    public int ByWords { get; private set; }
    public int ByMeaning { get; private set; }
    public int Fused { get; private set; }
    public int ReciprocalRankFusion { get; private set; }

    public void Add(bool byWords, bool byMeaning, bool fused, bool reciprocalRankFusion)
    {
        Count++;
        ByWords += byWords ? 1 : 0;
        ByMeaning += byMeaning ? 1 : 0;
        Fused += fused ? 1 : 0;
        ReciprocalRankFusion += reciprocalRankFusion ? 1 : 0;
    }
}

public sealed record RecallResult(
    int Incidents, RecallTally Tuning, RecallTally HeldOut, RecallTally Symptoms, IReadOnlyList<string> FusedMisses,
    int Embedded, double EmbedMs, double PerSearchMs, long WorkingSetBefore, long WorkingSetAfter)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Recall@{RecallRun.TopK} over {Incidents} incidents ({MiniLmEmbeddingGenerator.ModelId}, in-process)");
        text.AppendLine();
        text.AppendLine("| searches | count | by words (BM25 + services) | by meaning alone | fused (the bot's ranking) | reciprocal rank fusion (not used) |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        text.AppendLine(Row("looked at while tuning", Tuning));
        text.AppendLine(Row("held out", HeldOut));
        text.AppendLine(Row("symptoms, written later", Symptoms));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Embedding {Embedded} incidents: {EmbedMs:0} ms ({EmbedMs / Math.Max(1, Embedded):0.0} ms each); one search, all four rankings: {PerSearchMs:0.0} ms.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Working set before the model loaded: {WorkingSetBefore / 1048576.0:0} MiB; after embedding: {WorkingSetAfter / 1048576.0:0} MiB.");
        text.AppendLine();
        text.AppendLine("Searches the fused ranking missed:");
        foreach (var miss in FusedMisses)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {miss}");
        }

        return text.ToString();
    }

    private static string Row(string name, RecallTally tally) =>
        $"| {name} | {tally.Count} | {Share(tally.ByWords, tally.Count)} | {Share(tally.ByMeaning, tally.Count)} | {Share(tally.Fused, tally.Count)} | {Share(tally.ReciprocalRankFusion, tally.Count)} |";

    private static string Share(int found, int count) => string.Create(CultureInfo.InvariantCulture, $"{found} ({100.0 * found / Math.Max(1, count):0}%)");
}
