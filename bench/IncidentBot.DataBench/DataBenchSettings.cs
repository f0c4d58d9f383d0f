using System.Globalization;

namespace IncidentBot.DataBench;

/// <summary>What one data benchmark run does: the size of the data set and how often each question is asked.</summary>
public sealed record DataBenchSettings
{
    public bool Quick { get; init; }

    public int Incidents { get; init; } = 10_000;

    /// <summary>Messages and posts people wrote, over all timelines; automatic entries (declared, status changes) come on top.</summary>
    public int Messages { get; init; } = 1_000_000;

    /// <summary>The one long incident whose summary is measured.</summary>
    public int LongIncidentMessages { get; init; } = 5_000;

    /// <summary>Measured calls of each fast scenario (summaries of the long incident get a tenth, at least 10).</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>Calls of each scenario before measuring, so the code is jitted and SQLite's pages are cached.</summary>
    public int Warmup { get; init; } = 10;

    /// <summary>Build the data set even when a cached one of the same schema version and sizes exists.</summary>
    public bool Rebuild { get; init; }

    /// <summary>Where the cached data sets live; default a folder in the temp folder.</summary>
    public string? DataFolder { get; init; }

    public string? OutputPath { get; init; }

    /// <summary>Only these scenarios (name prefixes); all when empty.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    public static DataBenchSettings Defaults => new();

    public static DataBenchSettings QuickDefaults => new()
    {
        Quick = true,
        Incidents = 1_000,
        Messages = 100_000,
        LongIncidentMessages = 2_000,
        Iterations = 30,
        Warmup = 3,
    };

    public const string Usage = """
        IncidentBot data benchmark: builds (once, then cached) a SQLite file of many incidents and timeline
        messages through the real schema and triggers, then times the assistant's related search, summaries
        and answers through the application's own services, in this process.

          dotnet run -c Release --project bench/IncidentBot.DataBench -- [options]

          --quick                 1,000 incidents, 100,000 messages, 30 iterations (for development)
          --incidents <n>         incidents in the data set                            (default 10000)
          --messages <n>          timeline messages over all incidents                 (default 1000000)
          --long-incident <n>     messages of the one long incident                    (default 5000)
          --iterations <n>        measured calls per scenario                          (default 200)
          --warmup <n>            calls per scenario before measuring                  (default 10)
          --only <prefix>         run only the scenarios whose name starts so (repeatable), e.g. related
          --rebuild               build the data set again even if a cached one exists
          --data-folder <path>    where data sets are cached (default <temp>/incidentbot-databench)
          --out <path>            where the Markdown report goes (default a file in the temp folder)
        """;

    /// <summary>Null and an error message when the arguments are wrong; <c>--quick</c> may come anywhere.</summary>
    public static (DataBenchSettings? Settings, string? Error) Parse(IReadOnlyList<string> args)
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
                    "--incidents" => settings with { Incidents = Count() },
                    "--messages" => settings with { Messages = Count() },
                    "--long-incident" => settings with { LongIncidentMessages = Count() },
                    "--iterations" => settings with { Iterations = Count() },
                    "--warmup" => settings with { Warmup = Count() },
                    "--only" => settings with { Only = [.. settings.Only, Value()] },
                    "--rebuild" => settings with { Rebuild = true },
                    "--data-folder" => settings with { DataFolder = Value() },
                    "--out" => settings with { OutputPath = Value() },
                    _ => throw new FormatException($"Unknown option {name}."),
                };
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }

        if (settings.Incidents < 100 || settings.LongIncidentMessages * 2 > settings.Messages)
        {
            return (null, "Needs at least 100 incidents, and the long incident at most half of the messages.");
        }

        return (settings, null);
    }
}
