using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentBot.Bench;

/// <summary>One wrk run's figures, from the <c>RESULT</c> line that <c>replay.lua</c> prints.</summary>
/// <param name="SentPerSecond">The sum of the threads' rates, each from its own first request (see replay.lua).</param>
public sealed record WrkResult(
    long Requests, TimeSpan Duration, double SentPerSecond, long StatusErrors, long SocketErrors,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, long Wraps)
{
    /// <summary>Answers with a 2xx or 3xx status: acknowledgements, for the bot.</summary>
    public long Succeeded => Requests - StatusErrors;

    public double SucceededPerSecond => Requests == 0 ? 0 : SentPerSecond * Succeeded / Requests;

    public static WrkResult Parse(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no RESULT line:\n{output}");
        var fields = Regex.Matches(line, @"(\w+)=(\d+)").ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        double Ms(string name) => fields[name] / 1000.0;
        return new WrkResult(
            fields["requests"], TimeSpan.FromMicroseconds(fields["duration_us"]), fields["sent_per_s"], fields["status_errors"],
            fields["connect_errors"] + fields["read_errors"] + fields["write_errors"] + fields["timeouts"],
            Ms("p50_us"), Ms("p90_us"), Ms("p99_us"), Ms("max_us"), fields["wraps"]);
    }
}

/// <summary>Runs <c>wrk</c> with the replay script against one endpoint for a fixed time.</summary>
public sealed class Wrk(string script, WrkOptions options)
{
    public static bool IsInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("wrk", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit(5_000);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <param name="bodies">A file of <see cref="SignedBodyFile"/> lines.</param>
    public async Task<WrkResult> RunAsync(Uri server, string path, string bodies, TimeSpan duration, CancellationToken cancellationToken)
    {
        var seconds = ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "-t", options.Threads.ToString(CultureInfo.InvariantCulture), "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{seconds}s", "--timeout", "5s", "-s", script, server.ToString(),
                     "--", bodies, path, options.Threads.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        // wrk stops by itself after -d; reading the body file first takes a few seconds at most.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        var text = await output;
        return process.ExitCode == 0
            ? WrkResult.Parse(text)
            : throw new InvalidOperationException($"wrk exited with {process.ExitCode}:\n{text}\n{await errors}");
    }
}

/// <summary>
/// Unique signed events written one a line as <c>timestamp TAB signature TAB body</c> for <c>replay.lua</c>.
/// Signed when written: a file must be used within Slack's 5 minutes, so each is written just before its runs.
/// </summary>
public static class SignedBodyFile
{
    public static async Task WriteAsync(string path, SignedEvents events, int count, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 20);
        for (var i = 0; i < count; i++)
        {
            var signed = events.NextSigned();
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{signed.Timestamp}\t{signed.Signature}\t{signed.Body}\n").AsMemory(), cancellationToken);
        }
    }
}
