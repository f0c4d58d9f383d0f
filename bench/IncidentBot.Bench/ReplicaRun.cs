using System.Diagnostics;
using System.Globalization;
using System.Text;
using IncidentBot.Testing;

namespace IncidentBot.Bench;

/// <summary>One way of running the bot that a replica run measures: SQLite with one bot, or PostgreSQL with one or several.</summary>
/// <param name="Bot">Which build: "working tree", or a commit given with <c>--compare-commit</c>.</param>
public sealed record ReplicaConfiguration(string Provider, int Replicas, string Bot, string BotDll)
{
    public bool IsPostgres => Provider == "PostgreSQL";

    public string Name => $"{Provider}, {Replicas} bot{(Replicas == 1 ? "" : "s")}{(Bot == ReplicaRun.WorkingTree ? "" : $" ({Bot})")}";
}

/// <summary>What one configuration did in one round: wrk flat out at every bot at once, then until the timeline held every ack.</summary>
public sealed record ReplicaMeasurement(
    ReplicaConfiguration Configuration,
    int Round,
    double LoadAverageBefore,
    IReadOnlyList<WrkResult> PerBot,
    TimeSpan SendTime,
    TimeSpan SendWallTime,
    TimeSpan DrainTime,
    bool Drained,
    long TimelineAdded,
    long? TimelineThroughApi,
    long TimelineInDatabase,
    TimeSpan BotCpuSending,
    TimeSpan PostgresCpuSending,
    TimeSpan MachineBusySending,
    TimeSpan BotCpu,
    TimeSpan PostgresCpu,
    int BotLogLines,
    string BotLogTail)
{
    public long Acks => PerBot.Sum(r => r.Succeeded);

    public double AcksPerSecond => PerBot.Sum(r => r.SucceededPerSecond);

    /// <summary>Messages that reached the timeline over the time from the first request to the last message stored.</summary>
    public double EndToEndPerSecond => TimelineAdded / (SendTime + DrainTime).TotalSeconds;

    /// <summary>Over sending and draining: everything the bots (or PostgreSQL) did for an event, ack and timeline entry.</summary>
    public TimeSpan BotCpuPerEvent => BotCpu / Math.Max(1, TimelineAdded);

    public TimeSpan PostgresCpuPerEvent => PostgresCpu / Math.Max(1, TimelineAdded);

    /// <summary>Over the wall time of the wrk processes, reading their files included.</summary>
    public double Cores(TimeSpan cpu) => cpu.TotalSeconds / SendWallTime.TotalSeconds;
}

public sealed record ReplicaResults(BenchSettings Settings, BenchEnvironment Environment, IReadOnlyList<ReplicaMeasurement> Measurements, bool PostgresCpuMeasured);

/// <summary>
/// Ingest and end-to-end throughput of one SQLite bot, one PostgreSQL bot and several PostgreSQL bots on one database,
/// in one run, alternating the configurations round after round. Each configuration gets a fresh fake Slack and a fresh
/// database (a new SQLite file, or a new PostgreSQL database dropped afterwards), declares one incident, and every load
/// message is posted in its channel, so each one goes all the way to the timeline. The load is one wrk per bot, all at
/// the same time (wrk takes one host a run), the connections split between them, each replaying its own pre-signed
/// unique events; the drain is read from the database, the timeline counted again through the REST API at the end.
/// </summary>
public sealed class ReplicaRun(BenchSettings settings, BenchEnvironment environment, TextWriter log)
{
    public const string WorkingTree = "working tree";

    private ReplicaOptions Options => settings.ReplicaOptions;

    public async Task<ReplicaResults> RunAsync(CancellationToken cancellationToken)
    {
        var postgres = new PostgresServer(
            Options.Postgres ?? throw new InvalidOperationException("--replicas needs --postgres (bench/replicas/run.sh starts a server and passes it)."),
            Options.PostgresData);
        var configurations = await ConfigurationsAsync(cancellationToken);
        var script = Path.GetFullPath(settings.WrkOptions.Script ?? Path.Combine(BenchEnvironment.RepositoryRoot(), "bench", "ingest-wrk", "replay.lua"));
        var folder = settings.DatabaseFolder is { } parent
            ? Directory.CreateDirectory(Path.Combine(parent, $"incidentbot-replicas-{Guid.NewGuid():N}"))
            : Directory.CreateTempSubdirectory("incidentbot-replicas-");
        try
        {
            var measurements = new List<ReplicaMeasurement>();
            for (var round = 1; round <= Options.Rounds; round++)
            {
                foreach (var configuration in configurations)
                {
                    log.WriteLine($"round {round}: {configuration.Name}");
                    measurements.Add(await MeasureAsync(configuration, round, postgres, script, folder.FullName, cancellationToken));
                }
            }

            return new ReplicaResults(settings, environment, measurements, postgres.MeasuresCpu);
        }
        finally
        {
            BenchRun.TryDelete(folder, log);
        }
    }

    private async Task<List<ReplicaConfiguration>> ConfigurationsAsync(CancellationToken cancellationToken)
    {
        var bots = new List<(string Label, string Dll)> { (WorkingTree, environment.BotDll) };
        foreach (var commit in Options.CompareCommits)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"incidentbot-bench-build-{Guid.NewGuid():N}");
            bots.Add((commit, await BotBuild.FromCommitAsync(BenchEnvironment.RepositoryRoot(), commit, folder, log, cancellationToken)));
        }

        bots.AddRange(Options.CompareDlls.Select(bot => (bot.Key, Path.GetFullPath(bot.Value))));

        // SQLite once, as the reference; every PostgreSQL configuration with each build, side by side.
        var configurations = new List<ReplicaConfiguration> { new("SQLite", 1, WorkingTree, environment.BotDll) };
        foreach (var replicas in new[] { 1, Options.Replicas })
        {
            configurations.AddRange(bots.Select(bot => new ReplicaConfiguration("PostgreSQL", replicas, bot.Label, bot.Dll)));
        }

        return configurations;
    }

    private async Task<ReplicaMeasurement> MeasureAsync(
        ReplicaConfiguration configuration, int round, PostgresServer postgres, string script, string folder, CancellationToken cancellationToken)
    {
        var databaseName = $"incidentbot_bench_{Guid.NewGuid():N}";
        var sqlitePath = Path.Combine(folder, $"{databaseName}.db");
        var connectionString = configuration.IsPostgres ? await postgres.CreateDatabaseAsync(databaseName, cancellationToken) : null;
        await using var slack = await FakeSlack.StartAsync();
        slack.AddUser(LoadTarget.LoadUserId, "loadgen", "Load Generator");
        var bots = new List<LoopbackProcess>();
        try
        {
            List<KeyValuePair<string, string>> storage = connectionString is null
                ? []
                : [new("Storage__Provider", "postgres"), new("Storage__ConnectionString", connectionString)];
            var botSettings = LoadTarget.BotSettings(slack, environment, sqlitePath, [.. storage, .. settings.BotEnvironment]) with { BotDll = configuration.BotDll };
            bots.AddRange(Enumerable.Range(0, configuration.Replicas).Select(_ => BotProcess.Start(botSettings)));
            // Started together: one creates the schema while the others wait for it.
            await Task.WhenAll(bots.Select(bot => bot.WaitUntilReadyAsync(LoadTarget.ReadyTimeout, cancellationToken: cancellationToken)));

            using var api = new BotApi(bots[0].Address, LoadTarget.ApiKey);
            var incident = await api.DeclareAsync("Load benchmark: checkout-api errors", cancellationToken);
            var channel = await api.WaitForChannelAsync(incident, TimeSpan.FromSeconds(30), cancellationToken);
            await using var probe = connectionString is null ? new BotDatabaseProbe(sqlitePath, channel) : BotDatabaseProbe.Postgres(connectionString, channel);
            var events = new SignedEvents(new SlackRequestSigner(LoadTarget.SigningSecret), slack.TeamId, channel, LoadTarget.LoadUserId);
            var wrk = new Wrk(script, SplitOptions(configuration.Replicas));

            var warm = await LoadAllAsync(bots, wrk, events, Path.Combine(folder, "warm-up"), settings.WrkOptions.Warmup, cancellationToken);
            await probe.WaitForDrainAsync(warm.Sum(r => r.Succeeded), settings.DrainTimeout, cancellationToken);

            var files = await WriteBodiesAsync(events, Path.Combine(folder, "measured"), bots.Count, BodiesPerFile(bots.Count), cancellationToken);
            var before = await probe.ReadAsync(cancellationToken);
            var loadAverage = SystemCpu.LoadAverage();
            var (botCpu, postgresCpu, machine) = (BotsCpu(bots), postgres.CpuTime(), SystemCpu.Read());
            var started = Stopwatch.GetTimestamp();
            var results = await Task.WhenAll(bots.Select((bot, i) => wrk.RunAsync(bot.Address, SlackRequestSigner.EventsPath, files[i], settings.WrkOptions.Duration, cancellationToken)));
            var (botCpuSent, postgresCpuSent, machineSent) = (BotsCpu(bots), postgres.CpuTime(), SystemCpu.Read());
            var sendWallTime = Stopwatch.GetElapsedTime(started);
            if (results.Any(r => r.Wraps > 0))
            {
                throw new InvalidOperationException($"A bot's run went through all its {BodiesPerFile(bots.Count):N0} bodies and repeated some; run again with a larger --wrk-bodies.");
            }

            var acks = results.Sum(r => r.Succeeded);
            var (drainTime, drained, done) = await probe.WaitForDrainAsync(before.TimelineMessages + acks, settings.DrainTimeout, cancellationToken);
            var (botCpuDrained, postgresCpuDrained) = (BotsCpu(bots), postgres.CpuTime());
            long? throughApi = settings.VerifyThroughApi ? await api.CountTimelineMessagesAsync(incident, cancellationToken) : null;
            var measurement = new ReplicaMeasurement(
                configuration, round, loadAverage, results, results.Max(SendingTime), sendWallTime, drainTime, done,
                drained.TimelineMessages - before.TimelineMessages, throughApi, drained.TimelineMessages,
                botCpuSent - botCpu, postgresCpuSent - postgresCpu, (machineSent - machine).Busy,
                botCpuDrained - botCpu, postgresCpuDrained - postgresCpu,
                bots.Sum(bot => bot.OutputLines), string.Join('\n', bots.Select(bot => bot.RecentOutput()).Where(text => text.Length > 0)));
            log.WriteLine($"  {measurement.Acks:N0} acks = {measurement.AcksPerSecond:N0}/s, {measurement.TimelineAdded:N0} in the timeline "
                + $"{measurement.DrainTime.TotalSeconds:0.0} s after = {measurement.EndToEndPerSecond:N0}/s end to end; "
                + $"bots {measurement.BotCpuPerEvent.TotalMicroseconds:0} µs, PostgreSQL {measurement.PostgresCpuPerEvent.TotalMicroseconds:0} µs an event; load average {loadAverage:0.00}");
            return measurement;
        }
        finally
        {
            foreach (var bot in bots)
            {
                await bot.DisposeAsync();
            }

            if (configuration.IsPostgres)
            {
                await postgres.DropDatabaseAsync(databaseName, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// How long a wrk sent: its requests over the sum of its threads' rates, which is longer than its own clock when a
    /// thread started before that clock did (see replay.lua).
    /// </summary>
    private static TimeSpan SendingTime(WrkResult result) =>
        result.SentPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(result.Duration.TotalSeconds, result.Requests / result.SentPerSecond)) : result.Duration;

    /// <summary>The run's connections and threads shared out over the bots, each bot's wrk getting at least one thread.</summary>
    private WrkOptions SplitOptions(int bots) => settings.WrkOptions with
    {
        Connections = (int)Math.Ceiling(settings.WrkOptions.Connections / (double)bots),
        Threads = Math.Max(1, settings.WrkOptions.Threads / bots),
    };

    private int BodiesPerFile(int bots) => Math.Max(20_000, settings.WrkOptions.Bodies / bots);

    private async Task<WrkResult[]> LoadAllAsync(
        IReadOnlyList<LoopbackProcess> bots, Wrk wrk, SignedEvents events, string prefix, TimeSpan duration, CancellationToken cancellationToken)
    {
        // A few seconds need a fraction of a measured run's bodies; a repeat would only be deduplicated.
        var files = await WriteBodiesAsync(events, prefix, bots.Count, BodiesPerFile(bots.Count) / 3, cancellationToken);
        return await Task.WhenAll(bots.Select((bot, i) => wrk.RunAsync(bot.Address, SlackRequestSigner.EventsPath, files[i], duration, cancellationToken)));
    }

    /// <summary>A file of unique signed events for each bot, signed now (Slack's 5 minutes).</summary>
    private static async Task<string[]> WriteBodiesAsync(SignedEvents events, string prefix, int bots, int bodies, CancellationToken cancellationToken)
    {
        var files = Enumerable.Range(0, bots).Select(i => $"{prefix}-{i}.tsv").ToArray();
        foreach (var file in files)
        {
            await SignedBodyFile.WriteAsync(file, events, bodies, cancellationToken);
        }

        return files;
    }

    private static TimeSpan BotsCpu(IEnumerable<LoopbackProcess> bots) => bots.Aggregate(TimeSpan.Zero, (sum, bot) => sum + bot.CpuTime());
}

/// <summary>The replica run as Markdown: every measurement in the order taken, then each configuration's range.</summary>
public static class ReplicaReport
{
    public static string ToMarkdown(ReplicaResults results)
    {
        var s = results.Settings;
        var e = results.Environment;
        var o = s.WrkOptions;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Replica run of {e.Date:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(e.MachineLine());
        md.AppendLine(CultureInfo.InvariantCulture, $"- wrk: {o.Connections} connections and {o.Threads} threads in all, split over one wrk per bot running at the same time; "
            + $"{o.Duration.TotalSeconds:0} s after {o.Warmup.TotalSeconds:0} s of warm-up; {s.ReplicaOptions.Rounds} rounds, the configurations alternating");
        md.AppendLine(CultureInfo.InvariantCulture, $"- PostgreSQL CPU: {(results.PostgresCpuMeasured ? "the whole cluster (postmaster and every process under it)" : "not measured (no --postgres-data)")}");
        md.AppendLine();
        md.AppendLine("| round | configuration | load average before | acks | **acks/s** | p99 ms (worst bot) | timeline + | drain s | **end to end, messages/s** | cores while wrk ran: bots / PostgreSQL / machine | bots CPU an event µs | PostgreSQL CPU an event µs |");
        md.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        foreach (var m in results.Measurements)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Round} | {m.Configuration.Name} | {m.LoadAverageBefore:0.0} | {m.Acks:N0} | **{m.AcksPerSecond:N0}** | {m.PerBot.Max(r => r.P99Ms):0.0} | "
                + $"{m.TimelineAdded:N0} | {(m.Drained ? m.DrainTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "**not drained**")} | **{m.EndToEndPerSecond:N0}** | "
                + $"{m.Cores(m.BotCpuSending):0.00} / {m.Cores(m.PostgresCpuSending):0.00} / {m.Cores(m.MachineBusySending):0.00} | "
                + $"{m.BotCpuPerEvent.TotalMicroseconds:0} | {m.PostgresCpuPerEvent.TotalMicroseconds:0} |");
        }

        md.AppendLine();
        md.AppendLine("| configuration | acks/s | end to end, messages/s | bots CPU an event µs | PostgreSQL CPU an event µs |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var group in results.Measurements.GroupBy(m => m.Configuration.Name))
        {
            static string Range(IEnumerable<double> values) => $"{values.Min():N0}–{values.Max():N0}";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {Range(group.Select(m => m.AcksPerSecond))} | {Range(group.Select(m => m.EndToEndPerSecond))} | "
                + $"{Range(group.Select(m => m.BotCpuPerEvent.TotalMicroseconds))} | {Range(group.Select(m => m.PostgresCpuPerEvent.TotalMicroseconds))} |");
        }

        md.AppendLine();
        foreach (var m in results.Measurements)
        {
            var inFlight = m.TimelineAdded - m.Acks;
            var apiAgrees = m.TimelineThroughApi is not { } api || api == m.TimelineInDatabase;
            if (inFlight < 0 || inFlight > o.Connections + m.PerBot.Count || !apiAgrees || m.PerBot.Any(r => r.StatusErrors + r.SocketErrors > 0))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **round {m.Round}, {m.Configuration.Name}**: timeline +{m.TimelineAdded:N0} for {m.Acks:N0} acks, "
                    + $"{m.TimelineInDatabase:N0} in the database and {m.TimelineThroughApi?.ToString("N0", CultureInfo.InvariantCulture) ?? "–"} through the REST API, "
                    + $"{m.PerBot.Sum(r => r.StatusErrors):N0} non-2xx, {m.PerBot.Sum(r => r.SocketErrors):N0} socket errors");
            }
        }

        md.AppendLine("- every measurement not listed above: 0 non-2xx, 0 socket errors, the timeline grown by the acks plus at most the requests in flight when wrk stopped, the same count in the database and through the REST API");
        foreach (var m in results.Measurements.Where(m => m.BotLogLines > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Round {m.Round}, {m.Configuration.Name}: the bots wrote {m.BotLogLines:N0} log lines at Warning or above; the last ones:");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(m.BotLogTail);
            md.AppendLine("```");
        }

        return md.ToString();
    }
}
