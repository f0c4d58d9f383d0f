using IncidentBot.Bench;

if (args is [BaselineServer.Verb, ..])
{
    await BaselineServer.RunAsync(args[1..]);
    return 0;
}

var (settings, error) = BenchSettings.Parse(args);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchSettings.Usage);
    return 0;
}

if (settings is null)
{
    Console.Error.WriteLine($"{error}\n\n{BenchSettings.Usage}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The run unwinds and kills the bot on its way out.
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var environment = await BenchEnvironment.CaptureAsync(settings, Console.Out, cancellation.Token);
    if (environment.BenchConfiguration != "Release")
    {
        Console.Error.WriteLine($"warning: a {environment.BenchConfiguration} build; run with -c Release for figures worth quoting");
    }

    if ((settings.Wrk || settings.Replicas) && !Wrk.IsInstalled())
    {
        Console.Error.WriteLine("wrk is not on PATH: apt-get install -y wrk");
        return 1;
    }

    var (markdown, mode) = settings switch
    {
        { Replicas: true } => (ReplicaReport.ToMarkdown(await new ReplicaRun(settings, environment, Console.Out).RunAsync(cancellation.Token)), "replicas"),
        { Wrk: true } => (WrkReport.ToMarkdown(await new WrkRun(settings, environment, Console.Out).RunAsync(cancellation.Token)), "wrk"),
        _ => (Report.ToMarkdown(await new BenchRun(settings, environment, Console.Out).RunAsync(cancellation.Token)), "bench"),
    };
    var output = settings.OutputPath ?? Path.Combine(Path.GetTempPath(), $"incidentbot-{mode}-{environment.Date:yyyyMMdd-HHmmss}.md");
    await File.WriteAllTextAsync(output, markdown);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"written to {output}");
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped; the bot was killed");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or FileNotFoundException or HttpRequestException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    return 1;
}
