using System.Diagnostics;
using System.Globalization;

namespace IncidentBot.DataBench;

/// <summary>One scenario: a name, how many calls, and the call (given its iteration number, so inputs vary).</summary>
/// <param name="Check">What the last answer said, in a few words (hits, entries read), so a fast but empty answer shows.</param>
public sealed record Scenario(string Name, int Iterations, Func<int, CancellationToken, Task<string>> Call);

/// <summary>Latencies of one scenario in milliseconds, and what the machine and the process did meanwhile.</summary>
public sealed record ScenarioResult(
    string Name,
    int Count,
    double P50,
    double P95,
    double P99,
    double Max,
    double Mean,
    string Check,
    double LoadAverageBefore,
    double OwnCores,
    double OtherCores,
    long WorkingSetAfter,
    long PeakResident,
    long GcHeapAfter);

/// <summary>Runs scenarios one call at a time (warm-up first), timing each call with a <see cref="Stopwatch"/>.</summary>
public sealed class Measurement(int warmup, TextWriter log)
{
    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        for (var i = 0; i < warmup; i++)
        {
            await scenario.Call(-1 - i, cancellationToken);
        }

        var latencies = new double[scenario.Iterations];
        var check = "";
        var loadBefore = MachineCpu.LoadAverage();
        var machineBefore = MachineCpu.BusySeconds();
        var process = Process.GetCurrentProcess();
        var ownBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await using (var sampler = new ResidentSampler())
        {
            for (var i = 0; i < scenario.Iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                check = await scenario.Call(i, cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            var seconds = wall.Elapsed.TotalSeconds;
            process.Refresh();
            var own = (process.TotalProcessorTime - ownBefore).TotalSeconds;
            var machine = MachineCpu.BusySeconds() - machineBefore;
            Array.Sort(latencies);
            var result = new ScenarioResult(
                scenario.Name,
                latencies.Length,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.95),
                Percentile(latencies, 0.99),
                latencies[^1],
                latencies.Average(),
                check,
                loadBefore,
                own / seconds,
                Math.Max(0, machine - own) / seconds,
                Environment.WorkingSet,
                sampler.PeakResidentBytes,
                GC.GetGCMemoryInfo().TotalCommittedBytes);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Name}: n {result.Count}, p50 {result.P50:0.0} ms, p95 {result.P95:0.0} ms, p99 {result.P99:0.0} ms, max {result.Max:0.0} ms; "
                + $"{result.Check}; load {loadBefore:0.00}, others {result.OtherCores:0.00} cores, RSS {result.WorkingSetAfter / 1048576} MB"));
            return result;
        }
    }

    /// <summary>Nearest rank on sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>The machine's CPU from /proc (the machine is shared: other engineers' builds and tests show here).</summary>
public static class MachineCpu
{
    // /proc/stat counts in USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    public static double BusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        // "cpu  user nice system idle iowait irq softirq steal …"
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / TicksPerSecond;
    }

    public static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    public static string LoadAverages() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

/// <summary>This process's resident memory every 50 ms, highest value kept (VmHWM would also count the data set's build).</summary>
public sealed class ResidentSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peak = Environment.WorkingSet;

    public ResidentSampler() => sampling = SampleAsync(stop.Token);

    public long PeakResidentBytes => Interlocked.Read(ref peak);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var rss = Environment.WorkingSet;
                if (rss > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, rss);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
