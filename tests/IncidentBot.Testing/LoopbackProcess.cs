using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IncidentBot.Testing;

/// <summary>
/// A built ASP.NET Core program run as a separate OS process (<c>dotnet program.dll</c>, so the process id is
/// the program's own) on a free port of 127.0.0.1, so it can be measured or killed for real. Disposing kills
/// it, and so does this process exiting; its last output lines are kept for failure messages.
/// </summary>
public sealed class LoopbackProcess : IAsyncDisposable
{
    private const int KeptLines = 60;
    private readonly Process process;
    private readonly Queue<string> output = new();
    private readonly List<string> errors = [];
    private readonly List<(string Text, TaskCompletionSource<string> Line)> awaitedLines = [];
    private readonly Lock gate = new();
    private readonly EventHandler killOnExit;
    private int outputLines;

    private LoopbackProcess(Process process, Uri address, long startedAt)
    {
        this.process = process;
        Address = address;
        StartedAt = startedAt;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += killOnExit;
    }

    public Uri Address { get; }

    /// <summary>A client for <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>Lines the program wrote to stdout and stderr so far.</summary>
    public int OutputLines => Volatile.Read(ref outputLines);

    /// <summary>
    /// Starts <paramref name="dll"/> with <c>ASPNETCORE_URLS</c> set to a free loopback port and the working
    /// directory next to it (appsettings.json is read from the content root), or <paramref name="workingDirectory"/>.
    /// </summary>
    public static LoopbackProcess Start(
        string dll, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, string? workingDirectory = null)
    {
        var port = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var started = new LoopbackProcess(process, new Uri($"http://127.0.0.1:{port}/"), startedAt);
        process.OutputDataReceived += (_, line) => started.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => started.Keep(line.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; the time is counted from the process start.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout, string path = "readyz", CancellationToken cancellationToken = default)
    {
        var deadline = StartedAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {process.ExitCode} before it was ready:\n{RecentOutput()}");
            }

            try
            {
                using var response = await Client.GetAsync(path, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer; ask again.
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"The process was not ready within {timeout.TotalSeconds:0} s:\n{RecentOutput()}");
    }

    /// <summary>User and system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, nothing is flushed.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGSTOP (Linux): the process stands still, holding whatever it holds, until <see cref="Resume"/> or <see cref="Kill"/>.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT: a paused process goes on.</summary>
    public void Resume() => Signal(SigCont);

    private const int SigStop = 19;
    private const int SigCont = 18;

    private void Signal(int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Pausing a process is done with Linux signals.");
        }

        if (SendSignal(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Signal {signal} to process {process.Id} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Waits for the process to end and for all of its output to be read.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>Every line the program wrote to stderr so far (the first ones, should there be very many).</summary>
    public IReadOnlyList<string> ErrorLines()
    {
        lock (gate)
        {
            return [.. errors];
        }
    }

    /// <summary>
    /// The first line containing <paramref name="text"/> that the program writes from now on, however many lines follow
    /// it (<see cref="RecentOutput"/> keeps only the last ones).
    /// </summary>
    public Task<string> NextLineContainingAsync(string text)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            awaitedLines.Add((text, line));
        }

        return line.Task;
    }

    public string RecentOutput()
    {
        lock (gate)
        {
            return string.Join('\n', output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        Kill();
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Reported by the owner, if it matters.
        }

        Client.Dispose();
        process.Dispose();
    }

    private void Keep(string? line, bool isError = false)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref outputLines);
        lock (gate)
        {
            if (isError && errors.Count < KeptLines)
            {
                errors.Add(line);
            }

            output.Enqueue(line);
            while (output.Count > KeptLines)
            {
                output.Dequeue();
            }

            foreach (var awaited in awaitedLines.Where(awaited => line.Contains(awaited.Text, StringComparison.Ordinal)).ToList())
            {
                awaited.Line.SetResult(line);
                awaitedLines.Remove(awaited);
            }
        }
    }

    /// <summary>A port of 127.0.0.1 that nothing listens on (until something takes it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
