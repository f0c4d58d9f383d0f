using System.Collections.Concurrent;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// Writes that arrive together go to the database together: each caller's item waits in a queue, and a writer (at most
/// <paramref name="writers"/> at a time, started when an item arrives and none is free) writes everything waiting, up to
/// <paramref name="maxBatch"/> items, in one call of <paramref name="writeBatch"/>, which answers each item in order. While
/// a batch is being written the next one gathers, so under load a transaction carries many items and when quiet one.
/// When a batch fails, its items are written one by one, so each caller gets its own result or its own error.
/// </summary>
public sealed class GroupCommit<TItem, TResult>(
    Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> writeBatch, int writers, int maxBatch)
{
    private sealed record Waiting(TItem Item, TaskCompletionSource<TResult> Result);

    private readonly ConcurrentQueue<Waiting> queue = new();
    private int running;

    /// <summary>Waits for the item's batch to be committed; cancelling stops the wait, not the write.</summary>
    public Task<TResult> WriteAsync(TItem item, CancellationToken cancellationToken = default)
    {
        var waiting = new Waiting(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        queue.Enqueue(waiting);
        if (TryStartWriter())
        {
            _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        }

        return waiting.Result.Task.WaitAsync(cancellationToken);
    }

    private bool TryStartWriter()
    {
        var now = Volatile.Read(ref running);
        while (now < writers)
        {
            var seen = Interlocked.CompareExchange(ref running, now + 1, now);
            if (seen == now)
            {
                return true;
            }

            now = seen;
        }

        return false;
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            var batch = new List<Waiting>();
            while (batch.Count < maxBatch && queue.TryDequeue(out var waiting))
            {
                batch.Add(waiting);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                continue;
            }

            Interlocked.Decrement(ref running);
            // An item queued while this writer was leaving, whose caller saw no writer free, is this writer's to take.
            if (queue.IsEmpty || !TryStartWriter())
            {
                return;
            }
        }
    }

    private async Task WriteAsync(List<Waiting> batch)
    {
        try
        {
            var results = await writeBatch([.. batch.Select(waiting => waiting.Item)], CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var waiting in batch)
            {
                await WriteAsync([waiting]);
            }
        }
        catch (Exception exception)
        {
            batch[0].Result.TrySetException(exception);
        }
    }
}
