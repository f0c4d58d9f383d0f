using System.Globalization;
using System.Text;
using IncidentBot.Testing;

namespace IncidentBot.Bench;

/// <summary>One measured wrk run, with the CPU time the answering process spent per request.</summary>
public sealed record WrkPhase(string Name, WrkResult Result, TimeSpan ServerCpuPerRequest, double LoadAverageBefore);

public sealed record WrkResults(
    BenchSettings Settings, BenchEnvironment Environment, WrkPhase Baseline, WrkPhase Bot, long TimelineAdded, bool Drained,
    TimeSpan DrainTime, LoadResult Steady, int BotOutputLines, string BotOutputTail);

/// <summary>
/// Ingestion against the signature-only baseline with one light client: the same pre-signed unique message
/// events replayed by wrk flat out to the baseline process and to the bot, after a warm-up of both, in one run;
/// then the open-loop steady rate of <see cref="LoadRunner.SteadyAsync"/> for the ack p99 (wrk cannot pace).
/// </summary>
public sealed class WrkRun(BenchSettings settings, BenchEnvironment environment, TextWriter log)
{
    private WrkOptions Options => settings.WrkOptions;

    public async Task<WrkResults> RunAsync(CancellationToken cancellationToken)
    {
        var script = Path.GetFullPath(Options.Script ?? Path.Combine(BenchEnvironment.RepositoryRoot(), "bench", "ingest-wrk", "replay.lua"));
        var folder = settings.DatabaseFolder is { } parent
            ? Directory.CreateDirectory(Path.Combine(parent, $"incidentbot-wrk-{Guid.NewGuid():N}"))
            : Directory.CreateTempSubdirectory("incidentbot-wrk-");
        try
        {
            await using var slack = await FakeSlack.StartAsync();
            var database = Path.Combine(folder.FullName, "bench.db");
            await using var target = await LoadTarget.StartAsync(slack, environment, database, settings.BotEnvironment, log, cancellationToken);
            await using var probe = new BotDatabaseProbe(database, target.ChannelId);
            return await MeasureAsync(target, probe, new Wrk(script, Options), folder.FullName, cancellationToken);
        }
        finally
        {
            if (settings.KeepFiles)
            {
                log.WriteLine($"kept {folder.FullName}");
            }
            else
            {
                BenchRun.TryDelete(folder, log);
            }
        }
    }

    private async Task<WrkResults> MeasureAsync(LoadTarget target, BotDatabaseProbe probe, Wrk wrk, string folder, CancellationToken cancellationToken)
    {
        var events = target.NewEvents();
        var warmBodies = Path.Combine(folder, "warm-up.tsv");
        var bodies = Path.Combine(folder, "measured.tsv");

        await SignedBodyFile.WriteAsync(warmBodies, events, Options.Bodies, cancellationToken);
        log.WriteLine($"warm-up: wrk {Options.Warmup.TotalSeconds:0} s at each endpoint");
        await wrk.RunAsync(target.Baseline.Address, BaselineServer.Path, warmBodies, Options.Warmup, cancellationToken);
        var warm = await wrk.RunAsync(target.Bot.Address, SlackRequestSigner.EventsPath, warmBodies, Options.Warmup, cancellationToken);
        await probe.WaitForDrainAsync(warm.Succeeded, settings.DrainTimeout, cancellationToken);

        // Signed now, so every timestamp is minutes inside Slack's window for both runs.
        await SignedBodyFile.WriteAsync(bodies, events, Options.Bodies, cancellationToken);
        var before = await probe.ReadAsync(cancellationToken);
        var baseline = await PhaseAsync("baseline", target.Baseline, () => wrk.RunAsync(target.Baseline.Address, BaselineServer.Path, bodies, Options.Duration, cancellationToken));
        var bot = await PhaseAsync("bot", target.Bot, () => wrk.RunAsync(target.Bot.Address, SlackRequestSigner.EventsPath, bodies, Options.Duration, cancellationToken));
        if (bot.Result.Wraps > 0)
        {
            throw new InvalidOperationException($"The bot's run went through all {Options.Bodies:N0} bodies and repeated some; run again with a larger --wrk-bodies.");
        }

        var (drainTime, drained, done) = await probe.WaitForDrainAsync(before.TimelineMessages + bot.Result.Succeeded, settings.DrainTimeout, cancellationToken);
        log.WriteLine($"  timeline +{drained.TimelineMessages - before.TimelineMessages:N0} messages for {bot.Result.Succeeded:N0} acks, drained in {drainTime.TotalSeconds:0.0} s");

        log.WriteLine($"steady {settings.Rate:N0}/s for {settings.SteadyDuration.TotalSeconds:0} s (open loop, the benchmark's own sender) ...");
        using var http = BenchRun.LoadClient(target.Bot.Address, settings.Concurrency);
        var steady = await new LoadRunner(http).SteadyAsync(events.NextEvent, settings.Rate, settings.SteadyDuration, settings.Rate * settings.MaxLagSeconds, cancellationToken);
        log.WriteLine($"  {steady.Succeeded:N0} ok of {steady.Sent:N0}, p50 {steady.Latency.P50:0.00} ms, p99 {steady.Latency.P99:0.00} ms");

        return new WrkResults(settings, environment, baseline, bot, drained.TimelineMessages - before.TimelineMessages, done, drainTime, steady,
            target.Bot.OutputLines, target.Bot.RecentOutput());
    }

    private async Task<WrkPhase> PhaseAsync(string name, LoopbackProcess server, Func<Task<WrkResult>> run)
    {
        log.WriteLine($"{name}: wrk -c{Options.Connections} -t{Options.Threads} for {Options.Duration.TotalSeconds:0} s ...");
        var loadAverage = SystemCpu.LoadAverage();
        var serverBefore = server.CpuTime();
        var result = await run();
        // Per request rather than per second: wrk's threads do not all start at its clock (see replay.lua).
        var phase = new WrkPhase(name, result, (server.CpuTime() - serverBefore) / Math.Max(1, result.Requests), loadAverage);
        log.WriteLine($"  {result.Succeeded:N0} ok = {result.SucceededPerSecond:N0}/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, "
            + $"{result.StatusErrors:N0} non-2xx, {result.SocketErrors:N0} socket errors, server CPU {phase.ServerCpuPerRequest.TotalMicroseconds:0} µs a request, load average {loadAverage:0.00}");
        return phase;
    }
}

/// <summary>The wrk run as Markdown.</summary>
public static class WrkReport
{
    public static string ToMarkdown(WrkResults results)
    {
        var s = results.Settings;
        var e = results.Environment;
        var o = s.WrkOptions;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### wrk run of {e.Date:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(e.MachineLine());
        md.AppendLine(CultureInfo.InvariantCulture, $"- wrk -t{o.Threads} -c{o.Connections}, {o.Duration.TotalSeconds:0} s per endpoint after {o.Warmup.TotalSeconds:0} s of warm-up each; "
            + $"{o.Bodies:N0} unique signed message events per file; steady {s.Rate:N0}/s for {s.SteadyDuration.TotalSeconds:0} s");
        md.AppendLine();
        md.AppendLine("| endpoint | 2xx | non-2xx | socket errors | seconds | req/s | p50 ms | p90 ms | p99 ms | max ms | server CPU a request, µs | load average before |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in new[] { results.Baseline, results.Bot })
        {
            var r = phase.Result;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {phase.Name} | {r.Succeeded:N0} | {r.StatusErrors:N0} | {r.SocketErrors:N0} | {r.Duration.TotalSeconds:0.0} | {r.SucceededPerSecond:N0} | "
                + $"{r.P50Ms:0.00} | {r.P90Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.0} | {phase.ServerCpuPerRequest.TotalMicroseconds:0} | {phase.LoadAverageBefore:0.00} |");
        }

        var ratio = results.Bot.Result.SucceededPerSecond / results.Baseline.Result.SucceededPerSecond;
        var steady = results.Steady;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- **ratio bot ÷ baseline: {ratio:0.00}** (target ≥ 0.25)");
        var inFlight = results.TimelineAdded - results.Bot.Result.Succeeded;
        md.AppendLine($"- timeline: +{results.TimelineAdded:N0} messages for the {results.Bot.Result.Succeeded:N0} acks wrk counted in the bot's run "
            + $"({(results.Drained ? $"drained {results.DrainTime.TotalSeconds:0.0} s after" : "**not drained** within the timeout")}); "
            + (inFlight >= 0 && inFlight <= o.Connections
                ? $"the {inFlight} more are requests in flight when wrk stopped (at most one per connection): every body was unique and reached the timeline"
                : "**the counts disagree**: bodies were deduplicated or lost"));
        md.AppendLine(CultureInfo.InvariantCulture, $"- steady {s.Rate:N0}/s, open loop: {steady.Succeeded:N0} of {steady.Sent:N0} acked, p50 {steady.Latency.P50:0.00} ms, "
            + $"p99 **{steady.Latency.P99:0.00} ms** (target < 20 ms), max {steady.Latency.Max:0.0} ms{(steady.StoppedEarly is null ? "" : $"; stopped {steady.StoppedEarly}")}");
        if (results.BotOutputLines > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"The bot wrote {results.BotOutputLines:N0} log lines at Warning or above; the last ones:");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(results.BotOutputTail);
            md.AppendLine("```");
        }

        return md.ToString();
    }
}
