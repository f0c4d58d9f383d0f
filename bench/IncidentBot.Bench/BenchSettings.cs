using System.Globalization;

namespace IncidentBot.Bench;

/// <summary>What one benchmark run does; every phase is bounded in count and in time.</summary>
public sealed record BenchSettings
{
    public bool Quick { get; init; }

    /// <summary>Requests to <c>/slack/baseline</c>, flat out, at most (see <see cref="MaxPhase"/>).</summary>
    public int BaselineRequests { get; init; } = 1_000_000;

    /// <summary>Unique message events to <c>/slack/events</c>, flat out, at most (see <see cref="MaxPhase"/>).</summary>
    public int IngestEvents { get; init; } = 400_000;

    /// <summary>Senders (and connections) of the flat-out runs.</summary>
    public int Concurrency { get; init; } = 128;

    /// <summary>Requests of each kind sent before measuring, so both endpoints are jitted and pooled.</summary>
    public int Warmup { get; init; } = 2_000;

    /// <summary>Events per second of the steady, open-loop run.</summary>
    public int Rate { get; init; } = 2_000;

    public TimeSpan SteadyDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A flat-out run stops sending after this, whatever is left of its count: the rate is a sustained one either way.</summary>
    public TimeSpan MaxPhase { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The steady run stops early when this many seconds' worth of requests are unanswered.</summary>
    public int MaxLagSeconds { get; init; } = 3;

    /// <summary>How long to wait for the work backlog to reach the timeline after a run.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Separate bot processes started for the start-up time (the main run adds one more sample).</summary>
    public int StartupRuns { get; init; } = 5;

    /// <summary>Also count the timeline through the REST API at the end, as a cross-check of the SQLite count.</summary>
    public bool VerifyThroughApi { get; init; } = true;

    public string? BotDll { get; init; }

    /// <summary>Build and measure the bot of this commit instead of the one in the working tree.</summary>
    public string? BotCommit { get; init; }

    /// <summary>Extra environment variables for the bot, e.g. DOTNET_gcServer=0 or DOTNET_PerfMapEnabled=1.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BotEnvironment { get; init; } = [];

    /// <summary>Where the SQLite files go; default a new folder in the temp folder (on disk here).</summary>
    public string? DatabaseFolder { get; init; }
    public string? OutputPath { get; init; }
    public bool KeepFiles { get; init; }

    /// <summary>Measure with wrk instead (<see cref="WrkRun"/>): bot and baseline, same client, same run.</summary>
    public bool Wrk { get; init; }

    public WrkOptions WrkOptions { get; init; } = new();

    /// <summary>Measure SQLite and PostgreSQL with one and several bots instead (<see cref="ReplicaRun"/>), with wrk.</summary>
    public bool Replicas { get; init; }

    public ReplicaOptions ReplicaOptions { get; init; } = new();

    public static BenchSettings Defaults => new();

    public static BenchSettings QuickDefaults => new()
    {
        Quick = true,
        BaselineRequests = 5_000,
        IngestEvents = 2_000,
        Concurrency = 64,
        Warmup = 300,
        Rate = 2_000,
        SteadyDuration = TimeSpan.FromSeconds(2),
        MaxPhase = TimeSpan.FromSeconds(3),
        DrainTimeout = TimeSpan.FromSeconds(30),
        StartupRuns = 1,
    };

    public const string Usage = """
        IncidentBot load benchmark: starts the Release bot as a process on 127.0.0.1 with a fake Slack,
        then measures /slack/baseline and /slack/events flat out, a steady rate, memory and start-up time.

          dotnet run -c Release --project bench/IncidentBot.Bench -- [options]

          --quick                    a few seconds, small counts (for development)
          --baseline-requests <n>    flat-out requests to /slack/baseline, at most   (default 1000000)
          --ingest-events <n>        flat-out unique message events, at most          (default 400000)
          --max-phase <s>            a flat-out run stops sending after this          (default 20)
          --concurrency <n>          senders and connections of the flat-out runs     (default 128)
          --warmup <n>               requests of each kind before measuring           (default 2000)
          --rate <n>                 events/s of the steady open-loop run             (default 2000)
          --duration <s>             seconds of the steady run                        (default 20)
          --max-lag <s>              stop the steady run when this many seconds' worth
                                     of requests are unanswered                        (default 10)
          --drain-timeout <s>        longest wait for the backlog to drain            (default 180)
          --startup-runs <n>         extra bot starts for the start-up time      (default 5)
          --no-api-check             skip counting the timeline through the REST API
          --db-folder <path>         where the SQLite files go (e.g. /dev/shm to take fsync out: a diagnostic)
          --bot-env <name=value>     an extra environment variable for the bot (repeatable), e.g. DOTNET_gcServer=0
          --bot-commit <rev>         build the bot of this commit (git archive, Release) and measure that
          --bot-dll <path>           the bot to run (default src/IncidentBot/bin/<configuration>/net10.0/IncidentBot.dll)
          --out <path>               where the Markdown report goes (default a file in the temp folder)
          --keep                     keep the temporary folder with the SQLite files

        With --wrk (what bench/ingest-wrk/run.sh runs) it measures ingestion with wrk instead: the same pre-signed
        unique bodies replayed flat out to /slack/baseline and /slack/events, then the steady open-loop run above.
          --wrk                      this mode (needs wrk on PATH: apt-get install wrk)
          --wrk-seconds <s>          seconds of each measured wrk run                 (default 10)
          --wrk-warmup <s>           seconds of the wrk warm-up of each endpoint      (default 10)
          --wrk-connections <n>      wrk connections                                  (default 32)
          --wrk-threads <n>          wrk threads                                      (default 2)
          --wrk-bodies <n>           pre-signed unique events per file (each run needs one per ack)  (default 200000)
          --wrk-script <path>        the replay script (default bench/ingest-wrk/replay.lua)

        With --replicas (what bench/replicas/run.sh runs) it measures ingest and end-to-end throughput of one bot on
        SQLite, one on PostgreSQL and several on one PostgreSQL database, with one wrk per bot at the same time (the
        --wrk-* options above are the totals, split over the bots), the configurations alternating round after round.
          --replicas                 this mode (needs wrk, and a PostgreSQL server)
          --postgres <connection>    the server; each configuration creates a database of its own there and drops it
          --postgres-data <path>     the server's data folder, to measure its CPU (postmaster.pid); without it, not measured
          --replica-count <n>        bots of the several-replica configuration        (default 10)
          --rounds <n>               times each configuration is measured             (default 2)
          --compare-commit <rev>     also measure each PostgreSQL configuration with the bot of this commit, side by side
                                     (repeatable)
          --compare-dll <label=path> the same with a bot already built (e.g. one --compare-commit built before)

        IncidentBot.Bench baseline runs only the baseline endpoint on ASPNETCORE_URLS, with the signing secret in
        Slack__SigningSecret (the benchmark starts it so itself).
        """;

    /// <summary>Null and an error message when the arguments are wrong; <c>--quick</c> may come anywhere.</summary>
    public static (BenchSettings? Settings, string? Error) Parse(IReadOnlyList<string> args)
    {
        var settings = args.Contains("--quick") ? QuickDefaults : Defaults;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            int Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"{name} needs a positive whole number.");
            try
            {
                settings = name switch
                {
                    "--quick" => settings,
                    "--baseline-requests" => settings with { BaselineRequests = Count() },
                    "--ingest-events" => settings with { IngestEvents = Count() },
                    "--concurrency" => settings with { Concurrency = Count() },
                    "--warmup" => settings with { Warmup = Count() },
                    "--rate" => settings with { Rate = Count() },
                    "--duration" => settings with { SteadyDuration = TimeSpan.FromSeconds(Count()) },
                    "--max-phase" => settings with { MaxPhase = TimeSpan.FromSeconds(Count()) },
                    "--max-lag" => settings with { MaxLagSeconds = Count() },
                    "--db-folder" => settings with { DatabaseFolder = Value() },
                    "--drain-timeout" => settings with { DrainTimeout = TimeSpan.FromSeconds(Count()) },
                    "--startup-runs" => settings with { StartupRuns = Count() },
                    "--no-api-check" => settings with { VerifyThroughApi = false },
                    "--bot-dll" => settings with { BotDll = Value() },
                    "--bot-commit" => settings with { BotCommit = Value() },
                    "--bot-env" => settings with { BotEnvironment = [.. settings.BotEnvironment, Variable(name, Value())] },
                    "--out" => settings with { OutputPath = Value() },
                    "--keep" => settings with { KeepFiles = true },
                    "--wrk" => settings with { Wrk = true },
                    "--wrk-seconds" => settings with { WrkOptions = settings.WrkOptions with { Duration = TimeSpan.FromSeconds(Count()) } },
                    "--wrk-warmup" => settings with { WrkOptions = settings.WrkOptions with { Warmup = TimeSpan.FromSeconds(Count()) } },
                    "--wrk-connections" => settings with { WrkOptions = settings.WrkOptions with { Connections = Count() } },
                    "--wrk-threads" => settings with { WrkOptions = settings.WrkOptions with { Threads = Count() } },
                    "--wrk-bodies" => settings with { WrkOptions = settings.WrkOptions with { Bodies = Count() } },
                    "--replicas" => settings with { Replicas = true },
                    "--postgres" => settings with { ReplicaOptions = settings.ReplicaOptions with { Postgres = Value() } },
                    "--postgres-data" => settings with { ReplicaOptions = settings.ReplicaOptions with { PostgresData = Value() } },
                    "--replica-count" => settings with { ReplicaOptions = settings.ReplicaOptions with { Replicas = Count() } },
                    "--rounds" => settings with { ReplicaOptions = settings.ReplicaOptions with { Rounds = Count() } },
                    "--compare-commit" => settings with { ReplicaOptions = settings.ReplicaOptions with { CompareCommits = [.. settings.ReplicaOptions.CompareCommits, Value()] } },
                    "--compare-dll" => settings with { ReplicaOptions = settings.ReplicaOptions with { CompareDlls = [.. settings.ReplicaOptions.CompareDlls, Variable(name, Value())] } },
                    "--wrk-script" => settings with { WrkOptions = settings.WrkOptions with { Script = Value() } },
                    _ => throw new FormatException($"Unknown option {name}."),
                };
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }

        return (settings, null);
    }

    private static KeyValuePair<string, string> Variable(string option, string text) =>
        text.Split('=', 2) is [{ Length: > 0 } name, var value]
            ? new(name, value)
            : throw new FormatException($"{option} needs name=value, not '{text}'.");
}

/// <summary>The wrk runs of <see cref="WrkRun"/>.</summary>
public sealed record WrkOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    // Long enough for the bot's code to be compiled at its final tier: after 3 s, the JIT's tier-up still took 14 % of
    // the bot's CPU in its measured run (perf, docs/performance.md), a start-up cost a running bot no longer pays.
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public int Connections { get; init; } = 32;
    public int Threads { get; init; } = 2;

    /// <summary>Lines per body file: the bot's run must not get through them (a repeat would be deduplicated).</summary>
    public int Bodies { get; init; } = 200_000;

    /// <summary>The Lua replay script; default <c>bench/ingest-wrk/replay.lua</c> of the repository.</summary>
    public string? Script { get; init; }
}

/// <summary>The configurations of <see cref="ReplicaRun"/>.</summary>
public sealed record ReplicaOptions
{
    /// <summary>A connection string of the PostgreSQL server, with a user that may create databases.</summary>
    public string? Postgres { get; init; }

    /// <summary>The server's data folder; its <c>postmaster.pid</c> says which processes are the server.</summary>
    public string? PostgresData { get; init; }

    public int Replicas { get; init; } = 3;
    public int Rounds { get; init; } = 2;
    /// <summary>Builds measured beside the working tree's in every PostgreSQL configuration.</summary>
    public IReadOnlyList<string> CompareCommits { get; init; } = [];

    /// <summary>Bots already built, by label, measured like <see cref="CompareCommits"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CompareDlls { get; init; } = [];
}
