using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Runs the work kept in the <see cref="ISlackInboxStore"/>, oldest first, and completes a batch of items once
/// they have run. With a durable store, what a crash interrupts is still there and runs again after the restart,
/// so handlers must be idempotent.
/// </summary>
/// <remarks>
/// Consecutive <see cref="SlackWorkOrder.AnyOrder"/> items (e.g. channel messages, which are stored to the same
/// result in any order) form a run: handlers that take runs (<see cref="IEventRunHandler{TEvent}"/>) get it in one call,
/// the rest of it runs concurrently, and their writes can share transactions. An <see cref="SlackWorkOrder.InOrder"/>
/// item waits for what came before it and runs alone, so changes keep Slack's order.
/// </remarks>
public sealed class SlackInboxProcessor(
    ISlackInboxStore inbox,
    SlackDispatcher dispatcher,
    IOptions<SlackOptions> options,
    ISlackMetrics metrics,
    TimeProvider time,
    ILogger<SlackInboxProcessor> logger) : BackgroundService
{
    private const int BatchSize = 256;

    // On the machine's clock, like IdlePoll. Measured in bench/ingest-wrk (docs/performance.md, "The inbox processor
    // gathers a burst"): a burst of channel messages then costs less CPU an ack; it adds at most this to a message's lag.
    private static readonly TimeSpan GatherPause = TimeSpan.FromMilliseconds(5);

    // A store shared with other processes is not told of their work; it is looked for this often.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long lastId = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await inbox.ReadPendingAsync(lastId, BatchSize, stoppingToken);
            await using (KeepClaimed(batch, stoppingToken))
            {
                foreach (var run in Runs(batch))
                {
                    var left = await dispatcher.RunTogetherAsync(run, stoppingToken);
                    await Parallel.ForEachAsync(left, new ParallelOptions { MaxDegreeOfParallelism = options.Value.WorkerConcurrency, CancellationToken = stoppingToken },
                        async (work, token) => await RunAsync(work, token));
                }
            }

            if (batch.Count > 0)
            {
                lastId = batch[^1].Id;
                await inbox.CompleteAsync([.. batch.Select(work => work.Id)], stoppingToken);
                TellProcessed(batch);
            }

            if (batch.Count < BatchSize)
            {
                await WaitForWorkAsync(stoppingToken);
                if (batch.Count > 0)
                {
                    // Work is flowing: let a little more arrive, so the next run is stored in fewer, larger transactions.
                    await Task.Delay(GatherPause, stoppingToken);
                }

                // Completed work is gone, so the start is where work left behind can be: a shared store's items
                // that another replica held, or held back for order, and may now be run here.
                lastId = 0;
            }
        }
    }

    /// <summary>Consecutive any-order items form one run; every in-order item is a run of its own.</summary>
    internal static IEnumerable<List<PendingSlackWork>> Runs(IReadOnlyList<PendingSlackWork> batch)
    {
        var together = new List<PendingSlackWork>();
        foreach (var work in batch)
        {
            if (work.Item.Order == SlackWorkOrder.AnyOrder)
            {
                together.Add(work);
                continue;
            }

            if (together.Count > 0)
            {
                yield return together;
                together = [];
            }

            yield return [work];
        }

        if (together.Count > 0)
        {
            yield return together;
        }
    }

    /// <summary>Renews the store's claims on the batch while it runs, when the store asks for it; disposing stops it.</summary>
    private IAsyncDisposable KeepClaimed(IReadOnlyList<PendingSlackWork> batch, CancellationToken stoppingToken)
    {
        if (batch.Count == 0 || inbox.RenewClaimsEvery is not { } every)
        {
            return NoClaims.Instance;
        }

        return new ClaimRenewal(inbox, [.. batch.Select(work => work.Id)], new PeriodicTimer(every, time), logger, stoppingToken);
    }

    private sealed class NoClaims : IAsyncDisposable
    {
        public static readonly NoClaims Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ClaimRenewal : IAsyncDisposable
    {
        private readonly PeriodicTimer timer;
        private readonly Task renewing;

        public ClaimRenewal(ISlackInboxStore inbox, long[] ids, PeriodicTimer timer, ILogger logger, CancellationToken stoppingToken)
        {
            this.timer = timer;
            renewing = RenewAsync(inbox, ids, logger, stoppingToken);
        }

        public async ValueTask DisposeAsync()
        {
            timer.Dispose();
            await renewing;
        }

        private async Task RenewAsync(ISlackInboxStore inbox, long[] ids, ILogger logger, CancellationToken stoppingToken)
        {
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    try
                    {
                        await inbox.RenewClaimsAsync(ids, stoppingToken);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogWarning("Could not renew the claim on {Count} Slack work items still running: {Cause}", ids.Length, exception.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private void TellProcessed(IReadOnlyList<PendingSlackWork> batch)
    {
        var now = time.GetUtcNow();
        foreach (var work in batch)
        {
            if (work.Item.AcceptedAt is { } acceptedAt)
            {
                metrics.Processed(work.Item.Kind, now - acceptedAt);
            }
        }
    }

    private async Task RunAsync(PendingSlackWork work, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.RunAsync(work.Item, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The dispatcher already isolates handler failures; this is a payload that no longer parses.
            logger.LogError(exception, "Dropping Slack {Kind} work {Id} that cannot run", work.Item.Kind, work.Id);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        // On the machine's clock, not the injected one: a safety net that no behaviour waits for.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(IdlePoll);
        try
        {
            await inbox.WaitForWorkAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }
}
