using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IncidentBot.Bench;

/// <summary>The machine and the build the figures belong to.</summary>
public sealed record BenchEnvironment(
    DateTimeOffset Date,
    int ProcessorCount,
    string Cpu,
    long MemoryBytes,
    string Os,
    string DotnetSdk,
    string Runtime,
    string Commit,
    string BenchConfiguration,
    string BotDll,
    bool BotServerGc)
{
    public static async Task<BenchEnvironment> CaptureAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        if (settings.BotCommit is { } commit)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"incidentbot-bench-build-{Guid.NewGuid():N}");
            var built = await BotBuild.FromCommitAsync(root, commit, folder, log, cancellationToken);
            return Capture(root, built, "Release", Run(root, "git", "rev-parse", "--short", commit));
        }

        var configuration = typeof(BenchEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dll = settings.BotDll ?? Path.Combine(root, "src", "IncidentBot", "bin", configuration, "net10.0", "IncidentBot.dll");
        var label = settings.BotDll is null ? $"working tree at {Run(root, "git", "describe", "--always", "--dirty")}" : "given with --bot-dll";
        return Capture(root, dll, configuration, label);
    }

    private static BenchEnvironment Capture(string root, string botDll, string configuration, string commit)
    {
        var dll = Path.GetFullPath(botDll);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"No bot at {dll}; build it first: dotnet build -c {configuration} src/IncidentBot", dll);
        }

        return new BenchEnvironment(
            DateTimeOffset.UtcNow,
            Environment.ProcessorCount,
            CpuModel(),
            MemoryTotal(),
            RuntimeInformation.OSDescription,
            Run(root, "dotnet", "--version"),
            RuntimeInformation.FrameworkDescription,
            commit,
            configuration,
            dll,
            UsesServerGc(dll));
    }

    /// <summary>The report's line on the machine and the build.</summary>
    public string MachineLine() =>
        $"- machine: nproc {ProcessorCount}, {Cpu}, {Os}; bot {BenchConfiguration} build{(BotServerGc ? ", server GC" : ", workstation GC")}, bot from {Commit}";

    /// <summary>The folder with IncidentBot.sln above the benchmark's binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "IncidentBot.sln")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static long MemoryTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line["MemTotal:".Length..].Trim().TrimEnd('B', 'k').Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static bool UsesServerGc(string botDll)
    {
        var runtimeConfig = Path.ChangeExtension(botDll, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            return false;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        return document.RootElement.TryGetProperty("runtimeOptions", out var options)
            && options.TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Server", out var server)
            && server.ValueKind == JsonValueKind.True;
    }

    private static string Run(string workingDirectory, string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(10_000);
            return process.ExitCode == 0 && output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
