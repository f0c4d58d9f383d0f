using System.Diagnostics;

namespace IncidentBot.Bench;

/// <summary>
/// Builds the bot of one commit in Release, apart from the working tree, so a benchmark can compare commits
/// or measure a committed version while the working tree is being edited.
/// </summary>
public static class BotBuild
{
    /// <returns>The path of the built IncidentBot.dll.</returns>
    public static async Task<string> FromCommitAsync(string repositoryRoot, string commit, string folder, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var archive = Path.Combine(folder, "source.tar");
        log.WriteLine($"building the bot of {commit} in {folder} ...");
        await RunAsync("git", repositoryRoot, cancellationToken, "archive", "--format=tar", "-o", archive, commit);
        await RunAsync("tar", folder, cancellationToken, "-xf", archive);
        await RunAsync("dotnet", folder, cancellationToken, "build", "src/IncidentBot", "-c", "Release", "-v", "quiet", "-nologo");
        var dll = Path.Combine(folder, "src", "IncidentBot", "bin", "Release", "net10.0", "IncidentBot.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The build of {commit} left no {dll}.", dll);
    }

    private static async Task RunAsync(string program, string workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}{await errors}");
        }
    }
}
