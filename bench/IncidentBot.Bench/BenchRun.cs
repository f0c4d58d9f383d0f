using System.Diagnostics;
using System.Net;
using IncidentBot.Testing;

namespace IncidentBot.Bench;

/// <summary>After an ingestion run: how much was still queued when sending stopped, and how long it took to reach the timeline.</summary>
public sealed record DrainResult(long PendingWhenSendingStopped, TimeSpan DrainTime, long TimelineAdded, bool Drained, TimeSpan SendTime)
{
    /// <summary>Messages that reached the timeline per second of sending plus draining.</summary>
    public double ProcessedPerSecond => TimelineAdded / (SendTime + DrainTime).TotalSeconds;
}

public sealed record PhaseResult(
    string Name, LoadResult Load, TimeSpan ServerCpu, TimeSpan GeneratorCpu, SystemCpu Machine, double LoadAverageBefore,
    long PeakResidentBytes, MemoryReading MemoryAfter, DrainResult? Drain)
{
    /// <summary>The answering process's CPU while sending (the bot's, or the baseline's), in cores (2.0 = both cores of this machine).</summary>
    public double ServerCores => ServerCpu.TotalSeconds / Load.Elapsed.TotalSeconds;

    public double GeneratorCores => GeneratorCpu.TotalSeconds / Load.Elapsed.TotalSeconds;

    /// <summary>Cores busy with anything but the answering process and the generator while sending (the machine is shared).</summary>
    public double OtherCores => Math.Max(0, (Machine.Busy - ServerCpu - GeneratorCpu).TotalSeconds / Load.Elapsed.TotalSeconds);

    public double IoWaitCores => Machine.IoWait.TotalSeconds / Load.Elapsed.TotalSeconds;
}

public sealed record StartupSample(TimeSpan ToReady, long ResidentBytesWhenReady);

public sealed record BenchResults(
    BenchSettings Settings,
    BenchEnvironment Environment,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<StartupSample> Startups,
    long? TimelineMessagesThroughApi,
    long TimelineMessagesInDatabase,
    int BotOutputLines,
    string BotOutputTail);

/// <summary>The whole benchmark: one bot process (and the baseline beside it) for the load phases, then a few more for the start-up time.</summary>
public sealed class BenchRun(BenchSettings settings, BenchEnvironment environment, TextWriter log)
{
    public async Task<BenchResults> RunAsync(CancellationToken cancellationToken)
    {
        var folder = settings.DatabaseFolder is { } parent
            ? Directory.CreateDirectory(Path.Combine(parent, $"incidentbot-bench-{Guid.NewGuid():N}"))
            : Directory.CreateTempSubdirectory("incidentbot-bench-");
        try
        {
            await using var slack = await FakeSlack.StartAsync();
            var results = await RunLoadAsync(slack, Path.Combine(folder.FullName, "bench.db"), cancellationToken);
            var startups = results.Startups.ToList();
            for (var i = 0; i < settings.StartupRuns; i++)
            {
                var database = Path.Combine(folder.FullName, $"startup-{i}.db");
                startups.Add(await MeasureStartupAsync(LoadTarget.BotSettings(slack, environment, database, settings.BotEnvironment), cancellationToken));
                log.WriteLine($"start-up {i + 1}/{settings.StartupRuns}: {startups[^1].ToReady.TotalMilliseconds:0} ms to /readyz");
            }

            return results with { Startups = startups };
        }
        finally
        {
            if (settings.KeepFiles)
            {
                log.WriteLine($"kept {folder.FullName}");
            }
            else
            {
                TryDelete(folder, log);
            }
        }
    }

    private async Task<BenchResults> RunLoadAsync(FakeSlack slack, string databasePath, CancellationToken cancellationToken)
    {
        await using var target = await LoadTarget.StartAsync(slack, environment, databasePath, settings.BotEnvironment, log, cancellationToken);
        var bot = target.Bot;
        var events = target.NewEvents();
        using var botHttp = LoadClient(bot.Address, settings.Concurrency);
        using var baselineHttp = LoadClient(target.Baseline.Address, settings.Concurrency);
        var runner = new LoadRunner(botHttp);
        var baselineRunner = new LoadRunner(baselineHttp);
        await using var probe = new BotDatabaseProbe(databasePath, target.ChannelId);

        log.WriteLine($"warm-up: {settings.Warmup} baseline requests, {settings.Warmup} events");
        await baselineRunner.FlatOutAsync(events.NextBaseline, settings.Warmup, settings.Concurrency, settings.MaxPhase, cancellationToken);
        var warm = await runner.FlatOutAsync(events.NextEvent, settings.Warmup, settings.Concurrency, settings.MaxPhase, cancellationToken);
        await probe.WaitForDrainAsync(warm.Succeeded, settings.DrainTimeout, cancellationToken);

        var phases = new List<PhaseResult>
        {
            await MeasureAsync(target.Baseline, probe, $"baseline, flat out ({settings.Concurrency} senders)", drain: false,
                () => baselineRunner.FlatOutAsync(events.NextBaseline, settings.BaselineRequests, settings.Concurrency, settings.MaxPhase, cancellationToken),
                cancellationToken),
            await MeasureAsync(bot, probe, $"ingestion, flat out ({settings.Concurrency} senders)", drain: true,
                () => runner.FlatOutAsync(events.NextEvent, settings.IngestEvents, settings.Concurrency, settings.MaxPhase, cancellationToken),
                cancellationToken),
            await MeasureAsync(bot, probe, $"ingestion, steady {settings.Rate:N0}/s for {settings.SteadyDuration.TotalSeconds:0} s (open loop)", drain: true,
                () => runner.SteadyAsync(events.NextEvent, settings.Rate, settings.SteadyDuration, settings.Rate * settings.MaxLagSeconds, cancellationToken),
                cancellationToken),
        };

        var inDatabase = (await probe.ReadAsync(cancellationToken)).TimelineMessages;
        long? throughApi = null;
        if (settings.VerifyThroughApi)
        {
            using var api = new BotApi(bot.Address, LoadTarget.ApiKey);
            throughApi = await api.CountTimelineMessagesAsync(target.IncidentId, cancellationToken);
            log.WriteLine($"timeline of {target.IncidentId}: {throughApi:N0} messages through the REST API, {inDatabase:N0} in the file");
        }

        return new BenchResults(settings, environment, phases, [target.BotStartup], throughApi, inDatabase, bot.OutputLines, bot.RecentOutput());
    }

    /// <param name="server">The process that answers this phase: the bot, or the baseline.</param>
    private async Task<PhaseResult> MeasureAsync(
        LoopbackProcess server, BotDatabaseProbe probe, string name, bool drain, Func<Task<LoadResult>> send, CancellationToken cancellationToken)
    {
        log.WriteLine($"{name} ...");
        var before = await probe.ReadAsync(cancellationToken);
        var generator = Process.GetCurrentProcess();
        var serverCpuBefore = server.CpuTime();
        var generatorCpuBefore = generator.TotalProcessorTime;
        var loadAverage = SystemCpu.LoadAverage();
        var machineBefore = SystemCpu.Read();
        await using var sampler = new MemorySampler(server.Id);

        var load = await send();
        var machine = SystemCpu.Read() - machineBefore;
        var serverCpu = server.CpuTime() - serverCpuBefore;
        generator.Refresh();
        var generatorCpu = generator.TotalProcessorTime - generatorCpuBefore;

        DrainResult? drained = null;
        if (drain)
        {
            var atStop = await probe.ReadAsync(cancellationToken);
            var (elapsed, last, done) = await probe.WaitForDrainAsync(before.TimelineMessages + load.Succeeded, settings.DrainTimeout, cancellationToken);
            drained = new DrainResult(atStop.PendingWork, elapsed, last.TimelineMessages - before.TimelineMessages, done, load.Elapsed);
        }

        var result = new PhaseResult(name, load, serverCpu, generatorCpu, machine, loadAverage, sampler.PeakResidentBytes, MemoryReading.Of(server.Id), drained);
        log.WriteLine($"  {load.Succeeded:N0} ok of {load.Sent:N0} in {load.Elapsed.TotalSeconds:0.0} s = {load.SucceededPerSecond:N0}/s, "
            + $"p50 {load.Latency.P50:0.00} ms, p99 {load.Latency.P99:0.00} ms, server {result.ServerCores:0.00} cores, others {result.OtherCores:0.00} cores, RSS {Report.Mb(result.MemoryAfter.ResidentBytes)} MB"
            + (drained is null ? "" : $", drained in {drained.DrainTime.TotalSeconds:0.0} s ({drained.ProcessedPerSecond:N0}/s end to end)")
            + (load.StoppedEarly is null ? "" : $"; stopped {load.StoppedEarly}"));
        return result;
    }

    private static async Task<StartupSample> MeasureStartupAsync(BotProcessSettings bot, CancellationToken cancellationToken)
    {
        await using var started = BotProcess.Start(bot);
        var ready = await started.WaitUntilReadyAsync(LoadTarget.ReadyTimeout, cancellationToken: cancellationToken);
        return new StartupSample(ready, MemoryReading.Of(started.Id).ResidentBytes);
    }

    /// <summary>HTTP/1.1, one connection per sender, nothing between the generator and the bot.</summary>
    public static HttpClient LoadClient(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public static void TryDelete(DirectoryInfo folder, TextWriter log)
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException e)
        {
            log.WriteLine($"could not delete {folder.FullName}: {e.Message}");
        }
    }
}
