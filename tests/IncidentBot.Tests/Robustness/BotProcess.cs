using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using IncidentBot.Hosting;

namespace IncidentBot.Tests.Robustness;

/// <summary>What a bot process is configured with, as environment variables.</summary>
public sealed record BotProcessSettings(string DatabasePath, Uri SlackApiBaseUrl, string BotToken, string SigningSecret, string ApiKey);

/// <summary>
/// The built bot as a separate OS process (<c>dotnet IncidentBot.dll</c>) on a free loopback port, so it
/// can be killed for real. Disposing kills it, and so does this process exiting; its output is kept for
/// the failure message.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private const int KeptLines = 60;
    private readonly Process process;
    private readonly Queue<string> output = new();
    private readonly Lock gate = new();
    private readonly EventHandler killOnExit;

    private BotProcess(Process process, Uri address, string apiKey)
    {
        this.process = process;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += killOnExit;
    }

    public Uri Address { get; }

    /// <summary>Sends the API key.</summary>
    public HttpClient Client { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static BotProcess Start(BotProcessSettings settings)
    {
        var dll = typeof(IncidentBotApp).Assembly.Location;
        var port = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            // appsettings.json is read from the content root, the working directory.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        var environment = start.Environment;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Storage__Provider"] = "sqlite";
        environment["Storage__ConnectionString"] = $"Data Source={settings.DatabasePath}";
        environment["Slack__BotToken"] = settings.BotToken;
        environment["Slack__SigningSecret"] = settings.SigningSecret;
        environment["Slack__ApiBaseUrl"] = settings.SlackApiBaseUrl.ToString();
        environment["Api__Keys__0"] = settings.ApiKey;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}/"), settings.ApiKey);
        process.OutputDataReceived += (_, line) => bot.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => bot.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with code {process.ExitCode} before it was ready:\n{RecentOutput()}");
            }

            try
            {
                using var response = await Client.GetAsync("readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer; ask again.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The bot was not ready within {timeout.TotalSeconds:0} s:\n{RecentOutput()}");
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

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
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
            // Reported by the test that owns it, if it matters.
        }

        Client.Dispose();
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            output.Enqueue(line);
            while (output.Count > KeptLines)
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
