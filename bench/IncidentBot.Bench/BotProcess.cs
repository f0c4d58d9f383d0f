using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IncidentBot.Bench;

/// <summary>What the bot needs to run against the fake Slack, as environment variables.</summary>
public sealed record BotConfiguration(
    string BotDll, string DatabasePath, Uri SlackApiBaseUrl, string BotToken, string SigningSecret, string ApiKey,
    IReadOnlyList<KeyValuePair<string, string>> ExtraEnvironment);

/// <summary>
/// The bot as a child process (<c>dotnet IncidentBot.dll</c>, so the process id is the bot's own), listening
/// on 127.0.0.1 only. Disposing kills it; so does this process exiting.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;
    private readonly Process process;
    private readonly Queue<string> output = new();
    private readonly Lock outputGate = new();
    private readonly EventHandler onExit;
    private int outputLines;

    private BotProcess(Process process, Uri baseAddress, long startedAt)
    {
        this.process = process;
        BaseAddress = baseAddress;
        StartedAt = startedAt;
        onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += onExit;
    }

    public Uri BaseAddress { get; }
    public int Id => process.Id;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>Lines the bot wrote (warnings and errors only, at the log level used here).</summary>
    public int OutputLines => Volatile.Read(ref outputLines);

    public static BotProcess Start(BotConfiguration configuration)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            // appsettings.json is read from the content root, which is the working directory.
            WorkingDirectory = Path.GetDirectoryName(configuration.BotDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(configuration.BotDll);
        var environment = start.Environment;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Storage__Provider"] = "sqlite";
        environment["Storage__ConnectionString"] = $"Data Source={configuration.DatabasePath}";
        environment["Slack__BotToken"] = configuration.BotToken;
        environment["Slack__SigningSecret"] = configuration.SigningSecret;
        environment["Slack__ApiBaseUrl"] = configuration.SlackApiBaseUrl.ToString();
        environment["Api__Keys__0"] = configuration.ApiKey;
        environment["Bench__BaselineEndpoint"] = "true";
        foreach (var (name, value) in configuration.ExtraEnvironment)
        {
            environment[name] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), startedAt);
        process.OutputDataReceived += (_, line) => bot.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => bot.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; the time is counted from the process start.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = StartedAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with code {process.ExitCode} before it was ready:\n{RecentOutput()}");
            }

            try
            {
                using var response = await http.GetAsync("readyz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"The bot was not ready within {timeout.TotalSeconds:0} s:\n{RecentOutput()}");
    }

    /// <summary>Resident memory now and its peak since the start, from /proc (Linux).</summary>
    public MemoryReading ReadMemory() => MemoryReading.Of(process.Id);

    /// <summary>User and system CPU time the bot has used so far.</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public string RecentOutput()
    {
        lock (outputGate)
        {
            return string.Join('\n', output);
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= onExit;
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref outputLines);
        lock (outputGate)
        {
            output.Enqueue(line);
            while (output.Count > KeptOutputLines)
            {
                output.Dequeue();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>VmRSS and VmHWM of a process, in bytes.</summary>
public sealed record MemoryReading(long ResidentBytes, long PeakResidentBytes)
{
    public static MemoryReading Of(int processId)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }

        return new MemoryReading(rss, hwm);
    }

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
}
