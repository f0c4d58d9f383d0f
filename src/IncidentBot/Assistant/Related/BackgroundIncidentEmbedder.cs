using System.Threading.Channels;
using IncidentBot.Cluster;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// Keeps the in-process model's vectors of every incident up to date, so related search only embeds the words
/// asked for: at start every incident whose text changed since its vector was made (or has none), by one replica of
/// the cluster (<see cref="ClusterJob.IncidentEmbeddings"/>), then each incident the core reports changed in this
/// replica, in batches of <see cref="BatchSize"/>. Reads through
/// <see cref="IIncidentReader"/>, writes only to <see cref="IIncidentEmbeddingStore"/>. A configured (remote)
/// embedding model is not run in the background: each call costs, so its vectors are made when a search needs them.
/// </summary>
public sealed class BackgroundIncidentEmbedder(
    IncidentEmbeddingModel model,
    IIncidentReader reader,
    IIncidentEmbeddingStore store,
    ClusterJobs jobs,
    TimeProvider time,
    ILogger<BackgroundIncidentEmbedder> logger)
    : BackgroundService, IIncidentObserver
{
    public const int BatchSize = 32;

    private readonly Channel<long> changed = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void OnChanged(IncidentChanged change) => Note(change.Incident.Number);

    /// <summary>A message may state the root cause, which is part of the embedded text.</summary>
    public void OnMessage(long number, TimelineEntry entry) => Note(number);

    /// <summary>
    /// Embeds the incidents (all when <paramref name="numbers"/> is null) whose text is not the one their stored vector
    /// was made from; returns how many were embedded.
    /// </summary>
    public async Task<int> EmbedChangedAsync(IReadOnlyCollection<long>? numbers, CancellationToken cancellationToken)
    {
        if (model.Generator is not { } generator || model.Name is not { } name)
        {
            return 0;
        }

        var embedded = 0;
        await foreach (var page in PagesAsync(numbers, cancellationToken))
        {
            var stored = await store.GetAsync(name, page.Select(i => i.Number).ToList(), cancellationToken);
            var stale = new List<(long Number, string Text, string Hash)>();
            foreach (var incident in page)
            {
                var text = await IncidentEmbeddingText.ReadAsync(reader, incident, cancellationToken);
                var hash = IncidentEmbeddingText.Hash(text);
                if (stored.GetValueOrDefault(incident.Number)?.TextHash != hash)
                {
                    stale.Add((incident.Number, text, hash));
                }
            }

            foreach (var batch in stale.Chunk(BatchSize))
            {
                var vectors = await generator.GenerateAsync(batch.Select(b => b.Text), cancellationToken: cancellationToken);
                var embeddings = batch.Zip(vectors, (b, v) => new IncidentEmbedding(b.Number, b.Hash, v.Vector)).ToList();
                await store.SaveAsync(name, embeddings, time.GetUtcNow(), cancellationToken);
                embedded += embeddings.Count;
            }
        }

        return embedded;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!model.IsKeptInBackground)
        {
            return;
        }

        try
        {
            // Every incident, by one replica of the cluster; each replica embeds the changes made in it.
            await jobs.RunOnceAsync(ClusterJob.IncidentEmbeddings, token => RunAsync(null, token), stoppingToken);
            while (await changed.Reader.WaitToReadAsync(stoppingToken))
            {
                var numbers = new HashSet<long>();
                while (changed.Reader.TryRead(out var number))
                {
                    numbers.Add(number);
                }

                await RunAsync(numbers, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, also when the host fails to start: nothing to report, the next start catches up.
        }
    }

    private void Note(long number)
    {
        if (model.IsKeptInBackground)
        {
            changed.Writer.TryWrite(number);
        }
    }

    /// <summary>A failure is logged and the next change tries again; related search falls back to words meanwhile.</summary>
    private async Task RunAsync(IReadOnlyCollection<long>? numbers, CancellationToken stoppingToken)
    {
        try
        {
            var embedded = await EmbedChangedAsync(numbers, stoppingToken);
            if (embedded > 0)
            {
                logger.LogDebug("Embedded {Count} incidents with {Model}", embedded, model.Name);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Incidents could not be embedded with {Model}; related search ranks by words until the next change", model.Name);
        }
    }

    /// <summary>The incidents, newest first, a page at a time.</summary>
    private async IAsyncEnumerable<IReadOnlyList<Incident>> PagesAsync(
        IReadOnlyCollection<long>? numbers, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (numbers is not null)
        {
            foreach (var chunk in numbers.Chunk(IncidentFilter.MaxLimit))
            {
                yield return await reader.FindAsync(new IncidentFilter { Numbers = chunk, Limit = IncidentFilter.MaxLimit }, cancellationToken);
            }

            yield break;
        }

        long? before = null;
        while (true)
        {
            var page = await reader.FindAsync(new IncidentFilter { BeforeNumber = before, Limit = IncidentFilter.MaxLimit }, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page;
            before = page[^1].Number;
        }
    }
}
