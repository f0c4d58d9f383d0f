namespace IncidentBot.Bench;

/// <summary>Samples a process's resident memory every 100 ms and keeps the highest value since it started.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peak;

    public MemorySampler(int processId)
    {
        sampling = SampleAsync(processId, stop.Token);
    }

    public long PeakResidentBytes => Interlocked.Read(ref peak);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync(int processId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            try
            {
                var rss = MemoryReading.Of(processId).ResidentBytes;
                if (rss > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, rss);
                }
            }
            catch (IOException)
            {
                return; // the process is gone
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
