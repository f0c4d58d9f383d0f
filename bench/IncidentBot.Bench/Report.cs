using System.Globalization;
using System.Text;

namespace IncidentBot.Bench;

/// <summary>The results as Markdown: printed to the console and written to a file, the same text.</summary>
/// <remarks>Numbers format the same everywhere: the solution builds with InvariantGlobalization.</remarks>
public static class Report
{
    private const double TargetRatio = 1.0 / 3;
    private const double AimRatio = 1.0 / 2;
    private const double TargetP99Ms = 50;
    private const long TargetResidentBytes = 300L * 1024 * 1024;

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);

    public static string ToMarkdown(BenchResults results)
    {
        var s = results.Settings;
        var e = results.Environment;
        var md = new StringBuilder();
        md.AppendLine(($"### Run of {e.Date:yyyy-MM-dd HH:mm} UTC{(s.Quick ? " (--quick: too small to quote)" : "")}"));
        md.AppendLine();
        md.AppendLine(($"- machine: nproc {e.ProcessorCount}, {e.Cpu}, {e.MemoryBytes / (1024.0 * 1024 * 1024):0} GiB, {e.Os}"));
        md.AppendLine(($"- .NET: SDK {e.DotnetSdk}, {e.Runtime}; bot {e.BenchConfiguration} build{(e.BotServerGc ? ", server GC" : ", workstation GC")}, bot from {e.Commit}"));
        md.AppendLine(($"- settings: baseline {s.BaselineRequests:N0} requests, ingestion {s.IngestEvents:N0} events, {s.Concurrency} senders, "
            + $"each flat-out run at most {s.MaxPhase.TotalSeconds:0} s, warm-up {s.Warmup:N0} of each, steady {s.Rate:N0}/s for {s.SteadyDuration.TotalSeconds:0} s"
            + (s.DatabaseFolder is null ? "" : $"; SQLite files in {s.DatabaseFolder}")
            + (s.BotEnvironment.Count == 0 ? "" : $"; bot environment {string.Join(" ", s.BotEnvironment.Select(v => $"{v.Key}={v.Value}"))}")));
        md.AppendLine();

        md.AppendLine("| run | sent | 200 | other | seconds | acks/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in results.Phases)
        {
            var load = phase.Load;
            md.AppendLine(($"| {phase.Name} | {load.Sent:N0} | {load.Succeeded:N0} | {load.Failed:N0} | {load.Elapsed.TotalSeconds:0.0} | {load.SucceededPerSecond:N0} | "
                + $"{load.Latency.P50:0.00} | {load.Latency.P90:0.00} | {load.Latency.P99:0.00} | {load.Latency.P999:0.00} | {load.Latency.Max:0.0} |"));
        }

        md.AppendLine();
        md.AppendLine("CPU while sending, in cores of the machine's " + e.ProcessorCount + " (server = the bot, or in the baseline run the baseline process; others = every other process: the machine is shared):");
        md.AppendLine();
        md.AppendLine("| run | server | generator | others | idle (with I/O wait) | of which I/O wait | steal | load average before |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in results.Phases)
        {
            var idle = Math.Max(0, e.ProcessorCount - phase.Machine.Busy.TotalSeconds / phase.Load.Elapsed.TotalSeconds);
            md.AppendLine($"| {phase.Name} | {phase.ServerCores:0.00} | {phase.GeneratorCores:0.00} | {phase.OtherCores:0.00} | {idle:0.00} | "
                + $"{phase.IoWaitCores:0.00} | {phase.Machine.Steal.TotalSeconds / phase.Load.Elapsed.TotalSeconds:0.00} | {phase.LoadAverageBefore:0.00} |");
        }

        foreach (var phase in results.Phases.Where(p => p.Load.StoppedEarly is not null))
        {
            md.AppendLine();
            md.AppendLine($"{phase.Name}: stopped sending {phase.Load.StoppedEarly} ({phase.Load.Sent:N0} of {phase.Load.Planned:N0} sent).");
        }

        md.AppendLine();
        md.AppendLine("| run | server RSS after, MB | server peak RSS during, MB | VmHWM, MB | queued when sending stopped | drain after sending, s | timeline +messages | end to end, messages/s |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in results.Phases)
        {
            var drain = phase.Drain;
            md.AppendLine(($"| {phase.Name} | {Mb(phase.MemoryAfter.ResidentBytes)} | {Mb(phase.PeakResidentBytes)} | {Mb(phase.MemoryAfter.PeakResidentBytes)} | ")
                + (drain is null
                    ? "– | – | – | – |"
                    : ($"{drain.PendingWhenSendingStopped:N0} | {drain.DrainTime.TotalSeconds:0.0}{(drain.Drained ? "" : " (timed out)")} | {drain.TimelineAdded:N0} | {drain.ProcessedPerSecond:N0} |")));
        }

        md.AppendLine();
        var startups = results.Startups.Select(x => x.ToReady.TotalMilliseconds).ToList();
        md.AppendLine(($"Start-up, process start → `/readyz` 200 (fresh SQLite file, Slack configured): median {Median(startups):0} ms "
            + $"over {startups.Count} starts ({string.Join(", ", startups.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))} ms); "
            + $"RSS when ready {Mb((long)Median(results.Startups.Select(x => (double)x.ResidentBytesWhenReady).ToList()))} MB."));
        md.AppendLine();
        md.AppendLine(($"Timeline of the incident: {results.TimelineMessagesInDatabase:N0} messages in the SQLite file")
            + (results.TimelineMessagesThroughApi is { } api ? ($", {api:N0} through the REST API.") : "."));
        var failures = results.Phases.SelectMany(p => p.Load.Failures).GroupBy(f => f.Key).Select(g => ($"{g.Key} × {g.Sum(f => f.Value):N0}")).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"Failed requests: {string.Join(", ", failures)}.");
        }

        if (results.BotOutputLines > 0)
        {
            md.AppendLine();
            md.AppendLine(($"The bot wrote {results.BotOutputLines:N0} log lines at Warning or above; the last ones:"));
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(results.BotOutputTail);
            md.AppendLine("```");
        }

        md.AppendLine();
        AppendTargets(md, results);
        return md.ToString();
    }

    private static void AppendTargets(StringBuilder md, BenchResults results)
    {
        var baseline = results.Phases[0].Load.SucceededPerSecond;
        var ingestion = results.Phases[1].Load.SucceededPerSecond;
        var steady = results.Phases[2];
        var ratio = ingestion / baseline;
        var peak = results.Phases.Skip(1).Max(p => Math.Max(p.PeakResidentBytes, p.MemoryAfter.ResidentBytes));
        md.AppendLine("| target | measured | met |");
        md.AppendLine("| --- | --- | --- |");
        md.AppendLine(($"| baseline about 38,000 requests/s on this machine (reference, not a target) | {baseline:N0}/s | – |"));
        md.AppendLine(($"| ingestion ≥ 1/3 of the baseline, aim 1/2 | {ingestion:N0}/s = {ratio:0.00} × baseline | "
            + $"{(ratio >= AimRatio ? "yes, aim too" : ratio >= TargetRatio ? "yes (aim of 1/2 not reached)" : "**no**")} |"));
        md.AppendLine(($"| ack p99 < 50 ms at a steady {results.Settings.Rate:N0}/s | p99 {steady.Load.Latency.P99:0.0} ms, {steady.Load.Failed:N0} failed | "
            + $"{(steady.Load.Latency.P99 < TargetP99Ms && steady.Load.Failed == 0 ? "yes" : "**no**")} |"));
        md.AppendLine(($"| resident memory < 300 MB | highest RSS of the bot seen {Mb(peak)} MB | {(peak < TargetResidentBytes ? "yes" : "**no**")} |"));
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
