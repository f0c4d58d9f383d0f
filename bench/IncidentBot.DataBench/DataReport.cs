using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace IncidentBot.DataBench;

/// <summary>The results as Markdown, printed and written to a file, the same text.</summary>
/// <remarks>Numbers format the same everywhere: the solution builds with InvariantGlobalization.</remarks>
public static class DataReport
{
    private const double TargetRelatedP95Ms = 100;
    private const long TargetResidentBytes = 300L * 1024 * 1024;

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);

    public static string ToMarkdown(DataBenchResults results)
    {
        var s = results.Settings;
        var d = results.DataSet;
        var md = new StringBuilder();
        md.AppendLine($"### Data run of {results.Date:yyyy-MM-dd HH:mm} UTC{(s.Quick ? " (--quick: too small to quote)" : "")}");
        md.AppendLine();
        md.AppendLine($"- machine: nproc {Environment.ProcessorCount}, {RuntimeInformation.OSDescription}; load average (1, 5, 15 min) "
            + $"{results.LoadAveragesBefore} before, {results.LoadAveragesAfter} after");
        md.AppendLine($"- .NET: SDK {results.DotnetSdk}, {RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC"
#if DEBUG
            + ", **Debug build**"
#endif
            );
        md.AppendLine($"- data: {d.Incidents:N0} incidents, {d.Messages:N0} messages ({d.TimelineEntries:N0} timeline entries with the automatic ones), "
            + $"the long incident INC-{d.LongIncident} with {d.LongIncidentMessages:N0} messages, schema version {d.SchemaVersion}; "
            + $"{Mb(d.FileBytes)} MB file{(results.Built ? $", built in this run in {d.BuildSeconds:0} s" : $", cached (built in {d.BuildSeconds:0} s)")}; "
            + $"\"now\" is {d.Now:yyyy-MM-dd HH:mm} UTC, {d.RecentlyDeclaredOpen.Count} incidents declared in the 2 hours before it are still open");
        if (results.TableSizes.Count > 0)
        {
            md.AppendLine($"- file: {string.Join(", ", results.TableSizes.Select(t => $"{t.Name} {Mb(t.Bytes)} MB"))}");
        }

        md.AppendLine($"- services built and the file opened in {results.OpenMilliseconds:0} ms, the first related answer {results.FirstAnswerMilliseconds:0} ms after, "
            + $"{Mb(results.WorkingSetAfterOpen)} MB resident then");
        md.AppendLine($"- each scenario: {s.Warmup} calls of warm-up, then the calls counted, one at a time");
        md.AppendLine();
        md.AppendLine("| scenario | calls | p50 ms | p95 ms | p99 ms | max ms | mean ms | last answer | load before | others, cores | RSS after, MB | peak RSS, MB | GC committed, MB |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Scenarios)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Count} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {r.Max:0.0} | {r.Mean:0.0} | {r.Check} | {r.LoadAverageBefore:0.00} | "
                + $"{r.OtherCores:0.00} | {Mb(r.WorkingSetAfter)} | {Mb(r.PeakResident)} | {Mb(r.GcHeapAfter)} |"));
        }

        var related = results.Scenarios.Where(r => r.Name.StartsWith("related", StringComparison.Ordinal)).ToList();
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("| --- | --- | --- |");
        if (related.Count > 0)
        {
            var worst = related.MaxBy(r => r.P95)!;
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| related search p95 < {TargetRelatedP95Ms:0} ms | worst p95 {worst.P95:0.0} ms ({worst.Name}) | {(worst.P95 < TargetRelatedP95Ms ? "yes" : "**no**")} |"));
        }

        md.AppendLine($"| resident memory < {Mb(TargetResidentBytes)} MB | peak {Mb(results.PeakResident)} MB (GC committed at most {Mb(results.GcHeapPeak)} MB) | "
            + $"{(results.PeakResident < TargetResidentBytes ? "yes" : "**no**")} |");
        if (results.Built)
        {
            md.AppendLine();
            md.AppendLine("The data set was built in this process: its memory figures include what the build left behind. Quote a run that reused it.");
        }

        return md.ToString();
    }
}
