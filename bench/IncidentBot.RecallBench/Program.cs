namespace IncidentBot.RecallBench;

/// <summary>A class of its own, not top-level statements: the tests reference this project beside the bot's <c>Program</c>.</summary>
internal static class RecallProgram
{
    /// <summary>Arguments: [outages.json] [--dump scores.json] (every search's BM25 and cosine scores, to study other fusions offline).</summary>
    public static async Task<int> Main(string[] args)
    {
        var dump = Array.IndexOf(args, "--dump") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var path = args.FirstOrDefault(a => a.EndsWith(".json", StringComparison.Ordinal) && a != dump) ?? OutageSet.DefaultPath;
        var report = (await new RecallRun(OutageSet.Load(path), Console.Out, dump).MeasureAsync(CancellationToken.None)).ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }
}
