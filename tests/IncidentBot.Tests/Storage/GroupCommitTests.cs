using IncidentBot.Storage.Postgres;

namespace IncidentBot.Tests.Storage;

public sealed class GroupCommitTests
{
    private const int Unstorable = 3;

    [Fact]
    public async Task ItemsWaitingTogetherAreWrittenTogetherAndAFailingOneIsAnsweredAloneWithoutLosingTheOthers()
    {
        var batches = new List<int[]>();
        var firstBatchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new GroupCommit<int, int>(async (items, _) =>
        {
            lock (batches)
            {
                batches.Add([.. items]);
            }

            if (items[0] == 0)
            {
                firstBatchStarted.SetResult();
                await releaseFirstBatch.Task;
            }

            return items.Contains(Unstorable) ? throw new InvalidOperationException("cannot store 3") : [.. items.Select(item => item * 10)];
        }, writers: 1, maxBatch: 3);

        var first = commit.WriteAsync(0);
        await firstBatchStarted.Task;
        var waiting = Enumerable.Range(1, 5).Select(item => commit.WriteAsync(item)).ToArray();
        releaseFirstBatch.SetResult();

        Assert.Equal(0, await first);
        var stored = await Task.WhenAll(waiting[0], waiting[1], waiting[3], waiting[4]);
        Assert.Equal("cannot store 3", (await Assert.ThrowsAsync<InvalidOperationException>(() => waiting[2])).Message);
        Assert.Equal([10, 20, 40, 50], stored);
        Assert.Equal([[0], [1, 2, 3], [1], [2], [3], [4, 5]], batches);
    }

    [Fact]
    public async Task AnItemArrivingWhenNothingIsBeingWrittenIsWrittenAtOnce()
    {
        var commit = new GroupCommit<string, int>((items, _) => Task.FromResult<IReadOnlyList<int>>([.. items.Select(item => item.Length)]), writers: 2, maxBatch: 64);

        Assert.Equal(5, await commit.WriteAsync("alone"));
        Assert.Equal(3, await commit.WriteAsync("two"));
    }
}
