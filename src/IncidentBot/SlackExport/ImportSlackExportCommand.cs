using System.Data.Common;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackExport;

/// <summary>
/// <c>import-slack-export &lt;folder-or-zip&gt; [--channels &lt;pattern&gt;] [--workspace-url &lt;url&gt;]</c>: turns the incident
/// channels of a Slack workspace export into past incidents (<see cref="SlackExportImporter"/>), in the configured storage.
/// Other arguments configure the storage as they would the bot (<c>--Storage:ConnectionString "Data Source=…"</c>).
/// </summary>
public static class ImportSlackExportCommand
{
    public const string Name = "import-slack-export";

    private static readonly string[] OwnOptions = ["--channels", "--workspace-url"];

    /// <returns>The process exit code: 0 imported, 1 failed, 2 wrong arguments, 3 imported without the bad files it names.</returns>
    /// <param name="terminal">Whether <paramref name="output"/> is a terminal, which gets a progress bar rather than lines.</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, bool terminal, CancellationToken cancellationToken = default)
    {
        var (path, options, settings, problem) = Parse(args);
        if (problem is not null)
        {
            await error.WriteLineAsync($"{problem}\nUsage: {Name} <export folder or zip> [--channels \"incident-*\"] [--workspace-url https://acme.slack.com/]");
            return 2;
        }

        try
        {
            using var archive = SlackExportArchive.Open(path!);
            using var host = BuildHost(settings);
            await host.StartAsync(cancellationToken);
            var importer = host.Services.GetRequiredService<SlackExportImporter>();
            await output.WriteLineAsync($"Importing the channels named {string.Join(" or ", options.ChannelPatterns)} of {path}");
            var started = TimeProvider.System.GetTimestamp();
            var summary = await importer.RunAsync(archive, options, channels => new ImportProgress(output, terminal, channels), cancellationToken);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            await host.StopAsync(CancellationToken.None);
            await output.WriteLineAsync($"Imported {summary} in {elapsed.TotalSeconds:N1} s ({summary.Messages / Math.Max(elapsed.TotalSeconds, 0.001):N0} messages/s).");
            return summary.BadFiles.Count == 0 ? 0 : 3;
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException
            or DbException or StartupException or OptionsValidationException or IncidentValidationException)
        {
            await error.WriteLineAsync($"{Name} failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>The storage and the core, as the bot has them, without Slack, the web server or the background work.</summary>
    private static IHost BuildHost(string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(settings);
        // The summary line says what was imported; a log line an incident would bury it.
        builder.Logging.AddFilter(typeof(IncidentService).FullName, LogLevel.Warning);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<IncidentBotMetrics>();
        builder.AddStorage();
        builder.Services.AddSingleton<IncidentService>();
        builder.Services.AddSingleton<SlackExportImporter>();
        return builder.Build();
    }

    private static (string? Path, SlackExportImportOptions Options, string[] Settings, string? Problem) Parse(string[] args)
    {
        string? path = null;
        var patterns = SlackExportImportOptions.DefaultPatterns;
        Uri? workspace = null;
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (OwnOptions.Contains(arg) && i + 1 >= args.Length)
            {
                return (null, new([]), [], $"{arg} needs a value.");
            }

            switch (arg)
            {
                case "--channels":
                    patterns = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "--workspace-url" when Uri.TryCreate(args[i + 1], UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps:
                    workspace = url;
                    i++;
                    break;
                case "--workspace-url":
                    return (null, new([]), [], $"--workspace-url {args[i + 1]} is not an https URL such as https://acme.slack.com/.");
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains(':'):
                    settings.Add(setting);
                    if (!setting.Contains('=') && i + 1 < args.Length)
                    {
                        settings.Add(args[++i]);
                    }

                    break;
                case var option when option.StartsWith('-'):
                    var meant = Spelling.Closest(option, OwnOptions);
                    return (null, new([]), [], $"{option} is not an option of {Name}{(meant is null ? "" : $": did you mean {meant}?")}");
                case var _ when path is null:
                    path = arg;
                    break;
                default:
                    return (null, new([]), [], $"{Name} takes one export; '{arg}' is a second.");
            }
        }

        return path is null || patterns.Count == 0
            ? (null, new([]), [], $"{Name} needs the export: the folder it was unpacked into, or its zip file.")
            : (path, new SlackExportImportOptions(patterns, workspace), [.. settings], null);
    }
}
