using IncidentBot.DataBench;

var (settings, error) = DataBenchSettings.Parse(args);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(DataBenchSettings.Usage);
    return 0;
}

if (settings is null)
{
    Console.Error.WriteLine($"{error}\n\n{DataBenchSettings.Usage}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
#if DEBUG
    Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures worth quoting");
#endif
    var (dataSet, built) = await DataSet.OpenOrBuildAsync(settings, Console.Out, cancellation.Token);
    if (built)
    {
        // The build's garbage and SQLite's build cache are not what the bot would hold.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    var results = await new DataBenchRun(settings, dataSet, built, Console.Out).RunAsync(cancellation.Token);
    var markdown = DataReport.ToMarkdown(results);
    var output = settings.OutputPath ?? Path.Combine(Path.GetTempPath(), $"incidentbot-databench-{results.Date:yyyyMMdd-HHmmss}.md");
    await File.WriteAllTextAsync(output, markdown);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"written to {output}");
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
{
    Console.Error.WriteLine($"data benchmark failed: {e.Message}");
    return 1;
}
