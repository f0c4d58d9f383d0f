using System.Diagnostics;
using System.Net;

namespace IncidentBot.Bench;

/// <summary>What a load run saw from the sending side.</summary>
public sealed record LoadResult(
    int Planned, int Sent, int Succeeded, int Failed, TimeSpan Elapsed, LatencySummary Latency, IReadOnlyDictionary<string, int> Failures)
{
    /// <summary>Why sending stopped before <see cref="Planned"/> requests went out, if it did.</summary>
    public string? StoppedEarly { get; init; }

    public double SucceededPerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Sends requests over one pooled HTTP/1.1 client: flat out from a fixed number of senders (closed loop), or
/// on a fixed schedule whatever the answers (open loop).
/// </summary>
public sealed class LoadRunner(HttpClient client)
{
    private static readonly double TicksToMs = 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// <paramref name="concurrency"/> senders, each sending its next request as soon as the last is answered,
    /// until <paramref name="count"/> are sent or <paramref name="maxDuration"/> has passed. Latency here is
    /// service time per request; the figure that matters is the rate.
    /// </summary>
    public async Task<LoadResult> FlatOutAsync(
        Func<HttpRequestMessage> nextRequest, int count, int concurrency, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        var tally = new Tally(count);
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var stopSendingAt = start + (long)(maxDuration.TotalSeconds * Stopwatch.Frequency);
        var senders = Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            await Task.Yield();
            int i;
            while (!cancellationToken.IsCancellationRequested
                   && Stopwatch.GetTimestamp() < stopSendingAt
                   && (i = Interlocked.Increment(ref next)) < count)
            {
                using var request = nextRequest();
                await SendAsync(request, i, Stopwatch.GetTimestamp(), tally, cancellationToken);
            }
        });
        await Task.WhenAll(senders);
        var result = tally.Result(count, Stopwatch.GetElapsedTime(start));
        return result.Sent < count && !cancellationToken.IsCancellationRequested
            ? result with { StoppedEarly = $"time limit of {maxDuration.TotalSeconds:0} s" }
            : result;
    }

    /// <summary>
    /// Sends <paramref name="rate"/> requests a second for <paramref name="duration"/>, each at its scheduled
    /// time whether or not earlier ones were answered, and measures each latency from its scheduled time, so a
    /// stall shows in the figures instead of quietly slowing the sender (coordinated omission). Stops early
    /// when more than <paramref name="maxUnanswered"/> requests wait for an answer: the bot is not keeping up,
    /// and going on would only grow the queue.
    /// </summary>
    public async Task<LoadResult> SteadyAsync(
        Func<HttpRequestMessage> nextRequest, int rate, TimeSpan duration, int maxUnanswered, CancellationToken cancellationToken)
    {
        var count = (int)Math.Round(rate * duration.TotalSeconds);
        var tally = new Tally(count);
        var sends = new Task[count];
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        string? stoppedEarly = null;

        // A dedicated thread keeps the schedule; it sleeps rather than spins, as the bot needs the cores.
        // Each wake-up (about 1 ms) sends everything due; the wait until then counts as latency.
        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
            {
                var scheduled = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < scheduled)
                {
                    Thread.Sleep(1);
                }

                if (i - tally.Answered > maxUnanswered)
                {
                    stoppedEarly = $"after {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s: over {maxUnanswered:N0} requests unanswered";
                    break;
                }

                var index = i;
                sends[i] = Task.Run(() => SendScheduledAsync(nextRequest, index, scheduled, tally, cancellationToken), CancellationToken.None);
                sent++;
            }
        })
        { IsBackground = true, Name = "open-loop scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join, CancellationToken.None);
        await Task.WhenAll(sends.Take(sent));
        return tally.Result(count, Stopwatch.GetElapsedTime(start)) with { StoppedEarly = stoppedEarly };
    }

    private async Task SendScheduledAsync(
        Func<HttpRequestMessage> nextRequest, int index, long scheduled, Tally tally, CancellationToken cancellationToken)
    {
        using var request = nextRequest();
        await SendAsync(request, index, scheduled, tally, cancellationToken);
    }

    private async Task SendAsync(HttpRequestMessage request, int index, long measuredFrom, Tally tally, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            tally.Record(index, Stopwatch.GetTimestamp() - measuredFrom,
                response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            tally.Record(index, Stopwatch.GetTimestamp() - measuredFrom, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tally.Record(index, Stopwatch.GetTimestamp() - measuredFrom, "timeout");
        }
    }

    /// <summary>Latencies by request index (only successful ones count) and failures by reason.</summary>
    private sealed class Tally(int count)
    {
        private readonly long[] latencies = CreateUnset(count);
        private readonly Dictionary<string, int> failures = [];
        private int sent;
        private int succeeded;

        /// <summary>Requests answered (or failed) so far.</summary>
        public int Answered => Volatile.Read(ref sent);

        public void Record(int index, long elapsedTicks, string? failure)
        {
            Interlocked.Increment(ref sent);
            if (failure is null)
            {
                latencies[index] = elapsedTicks;
                Interlocked.Increment(ref succeeded);
                return;
            }

            lock (failures)
            {
                failures[failure] = failures.GetValueOrDefault(failure) + 1;
            }
        }

        public LoadResult Result(int planned, TimeSpan elapsed)
        {
            var measured = latencies.Where(ticks => ticks >= 0).Select(ticks => ticks * TicksToMs).ToArray();
            lock (failures)
            {
                return new LoadResult(planned, sent, succeeded, sent - succeeded, elapsed, LatencySummary.Of(measured), new Dictionary<string, int>(failures));
            }
        }

        private static long[] CreateUnset(int count)
        {
            var array = new long[count];
            Array.Fill(array, -1);
            return array;
        }
    }
}

/// <summary>Percentiles in milliseconds (nearest rank).</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary Of(double[] milliseconds)
    {
        if (milliseconds.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(milliseconds);
        double At(double quantile) => milliseconds[Math.Clamp((int)Math.Ceiling(quantile * milliseconds.Length) - 1, 0, milliseconds.Length - 1)];
        return new LatencySummary(milliseconds.Length, At(0.50), At(0.90), At(0.99), At(0.999), milliseconds[^1]);
    }
}
