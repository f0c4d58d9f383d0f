using System.Diagnostics;
using System.Globalization;
using IncidentBot.Assistant;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.DataBench;

/// <summary>The figures of one run.</summary>
public sealed record DataBenchResults(
    DataBenchSettings Settings,
    DataSet DataSet,
    bool Built,
    DateTimeOffset Date,
    string DotnetSdk,
    string LoadAveragesBefore,
    string LoadAveragesAfter,
    double OpenMilliseconds,
    double FirstAnswerMilliseconds,
    long WorkingSetAfterOpen,
    IReadOnlyList<ScenarioResult> Scenarios,
    long PeakResident,
    long GcHeapPeak,
    IReadOnlyList<(string Name, long Bytes)> TableSizes);

/// <summary>
/// Builds the application's services as the bot does (<see cref="IncidentBotApp"/>, production settings, no
/// model, the data set's file), with a clock frozen at the data set's "now", and times the assistant on it.
/// The host is not started: no Kestrel and no Slack work, only what the assistant's answers call.
/// </summary>
public sealed class DataBenchRun(DataBenchSettings settings, DataSet dataSet, bool built, TextWriter log)
{
    private static readonly (string Query, int? Days)[] Queries =
    [
        ("DDoS attacks", 30), ("payments service errors", 7), ("checkout failing after deploy", 2), ("database failover", 365),
        ("certificate expired", null), ("dns resolution failures", 30), ("search latency", 90), ("kafka consumer lag", 30),
        ("customers unable to log in", 14), ("memory leak OOM", 180),
    ];

    // Syntax of FTS5 and SQL, Unicode, stopwords only, very long and repetitive input: all must come back, quickly.
    private static readonly (string Query, int? Days)[] OddQueries =
    [
        ("\" OR 1=1 --", 30), ("NEAR(ddos payments) * : - ^ {col}:x", 7), ("'; DROP TABLE incidents; --", null),
        ("💥 ddos 攻撃 ümlaut Ωmega", 30), ("the of and a to is", 7), ("ddos* OR payments^ AND NOT checkout", 365),
        (string.Join(' ', IncidentVocabulary.AllServices.Concat(IncidentVocabulary.Teams).Concat(IncidentVocabulary.Regions)), null),
        (string.Concat(Enumerable.Repeat("checkout ", 500)), 365), (new string('x', 5_000), 30), ("\0\u0001\u202e", 7),
    ];

    public async Task<DataBenchResults> RunAsync(CancellationToken cancellationToken)
    {
        var loadBefore = MachineCpu.LoadAverages();
        var open = Stopwatch.StartNew();
        var app = IncidentBotApp.Build(
            new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Storage:ConnectionString"] = $"Data Source={dataSet.DatabasePath}",

                    // The figures are of search by words; by meaning is measured in bench/IncidentBot.RecallBench.
                    ["Assistant:LocalEmbeddings"] = "false",
                });
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddSingleton<TimeProvider>(new FrozenClock(dataSet.Now));
            });
        await using var _ = app;
        if (app.FindConfigurationError() is { } error)
        {
            throw new InvalidOperationException(error);
        }

        // What StorageInitializer does at start-up: on a file already up to date, only reads its version.
        await app.Services.GetRequiredService<SqliteDatabase>().MigrateAsync(cancellationToken);
        var openMs = open.Elapsed.TotalMilliseconds;
        var assistant = app.Services.GetRequiredService<IncidentAssistant>();
        var first = Stopwatch.StartNew();
        await assistant.FindRelatedAsync(dataSet.RecentlyDeclaredOpen[0], cancellationToken);
        var firstMs = first.Elapsed.TotalMilliseconds;
        var afterOpen = Environment.WorkingSet;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"services built and file opened in {openMs:0} ms, first related answer in {firstMs:0} ms, RSS {afterOpen / 1048576} MB"));

        var measurement = new Measurement(settings.Warmup, log);
        var results = new List<ScenarioResult>();
        foreach (var scenario in Scenarios(assistant, app.Services.GetRequiredService<IIncidentReader>(), app.Services.GetRequiredService<IIncidentSearch>())
            .Where(s => settings.Only.Count == 0 || settings.Only.Any(prefix => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))))
        {
            results.Add(await measurement.RunAsync(scenario, cancellationToken));
        }

        return new DataBenchResults(
            settings, dataSet, built, DateTimeOffset.UtcNow, DotnetSdk(), loadBefore, MachineCpu.LoadAverages(), openMs, firstMs, afterOpen,
            results, results.Count == 0 ? afterOpen : results.Max(r => r.PeakResident), results.Count == 0 ? 0 : results.Max(r => r.GcHeapAfter),
            await dataSet.TableSizesAsync(cancellationToken));
    }

    private IEnumerable<Scenario> Scenarios(IncidentAssistant assistant, IIncidentReader reader, IIncidentSearch search)
    {
        var n = settings.Iterations;
        var now = dataSet.Now;
        var recent = dataSet.RecentlyDeclaredOpen;
        var resolved = dataSet.ResolvedIncidents;
        long Recent(int i) => recent[Math.Abs(i) % recent.Count];

        yield return new("related: open incident, others open in the past 2 h", n, async (i, ct) =>
            Hits(await assistant.FindRelatedAsync(Recent(i), ct)));
        yield return new($"related: the long incident ({dataSet.LongIncidentMessages:N0} messages)", Math.Max(20, n / 4), async (i, ct) =>
            Hits(await assistant.FindRelatedAsync(dataSet.LongIncident, ct)));
        yield return new("related: query + time frame", n, async (i, ct) =>
        {
            var (query, days) = Queries[Math.Abs(i) % Queries.Length];
            return Hits(await assistant.FindRelatedAsync(new RelatedRequest(Query: query, Since: days is { } d ? now.AddDays(-d) : null), ct));
        });
        yield return new("related: odd and hostile queries", n, async (i, ct) =>
        {
            var (query, days) = OddQueries[Math.Abs(i) % OddQueries.Length];
            return Hits(await assistant.FindRelatedAsync(new RelatedRequest(Recent(i), query, days is { } d ? now.AddDays(-d) : null), ct));
        });
        yield return new($"summary: the long incident ({dataSet.LongIncidentMessages:N0} messages)", Math.Max(10, n / 10), async (_, ct) =>
            Read(await assistant.SummarizeAsync(dataSet.LongIncident, ct)));
        yield return new("summary: a typical incident (100 messages)", n, async (_, ct) =>
            Read(await assistant.SummarizeAsync(dataSet.TypicalIncident, ct)));
        yield return new("summary: open incidents of the past 2 h", n, async (i, ct) =>
            Read(await assistant.SummarizeAsync(Recent(i), ct)));

        foreach (var question in new[]
        {
            "how many incidents are currently ongoing?",
            "show me all Sev-1 incidents that occurred in the past week",
            "were there any incidents in the past month that impacted the payments service?",
            "a customer is unable to check out. Is there an incident?",
            "find me incidents related to DDOS attacks from the past month",
        })
        {
            yield return new($"ask: “{question}”", n, async (_, ct) => Answered(await assistant.AnswerAsync(question, cancellationToken: ct)));
        }

        yield return new("ask: “what was the root cause of incident-N?”", n, async (i, ct) =>
            Answered(await assistant.AnswerAsync($"what was the root cause of incident-{resolved[Math.Abs(i * 7919) % resolved.Count]}?", cancellationToken: ct)));
        yield return new("ask: “are there any related incidents?” in an open incident's channel", n, async (i, ct) =>
            Answered(await assistant.AnswerAsync("are there any related incidents?", Recent(i), cancellationToken: ct)));

        // The storage calls behind the answers above, alone: where the time goes.
        yield return new("storage: FindAsync, open in the past 2 h (≤ 200)", n, async (_, ct) =>
            $"{(await reader.FindAsync(new IncidentFilter { ActiveFrom = now.AddHours(-2), ActiveUntil = now, Limit = 200 }, ct)).Count} incidents");
        yield return new("storage: MatchAsync, 16 words over ≤ 200 candidates", n, async (i, ct) =>
        {
            var candidates = await reader.FindAsync(new IncidentFilter { ActiveFrom = now.AddHours(-2), ActiveUntil = now, ExcludeNumber = Recent(i), Limit = 200 }, ct);
            var matches = await search.MatchAsync(SubjectWords, new IncidentFilter { Numbers = [.. candidates.Select(c => c.Number)], Limit = 200 }, ct);
            return $"{matches.Count} matches";
        });
        yield return new("storage: MatchAsync, 2 words, past 30 days", n, async (_, ct) =>
            $"{(await search.MatchAsync(SearchTerms.Of(["ddos", "attacks"]), new IncidentFilter { ActiveFrom = now.AddDays(-30), ActiveUntil = now, Limit = 10 }, ct)).Count} matches");
        yield return new("storage: MatchAsync, 2 words, all history", n, async (_, ct) =>
            $"{(await search.MatchAsync(SearchTerms.Of(["checkout", "deploy"]), new IncidentFilter { ActiveUntil = now, Limit = 10 }, ct)).Count} matches");
    }

    /// <summary>What the engine searches for when relating an incident: its title, services and common words of its timeline.</summary>
    private static readonly SearchTerms SubjectWords = SearchTerms.Of(
        ["ddos", "attack", "edge", "checkout", "cdn", "requests", "traffic", "waf", "blocking", "errors", "rate", "limiting", "customers", "5xx", "latency", "bots"]);

    private static string Hits(RelatedAnswer answer) => $"{answer.Hits.Count} hits";

    private static string Read(SummaryAnswer answer) => $"{answer.EntriesRead} entries in {answer.Parts} parts";

    private static string Answered(QuestionAnswer answer) =>
        answer.Count is { } count ? $"{answer.Kind}: count {count}" : $"{answer.Kind}: {answer.Incidents.Count} incidents";

    private static string DotnetSdk()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(10_000);
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    /// <summary>The data set's "now", whatever the date of the run, so "the past 2 hours" means the same data every time.</summary>
    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
