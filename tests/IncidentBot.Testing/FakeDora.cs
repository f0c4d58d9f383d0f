using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>
/// A DORA incident intake on 127.0.0.1 (random port), like Datadog's <c>POST /api/v2/dora/incident</c>: it checks
/// the <c>DD-API-KEY</c> header, answers 202, records every request, and can be told to answer the next ones with an
/// error status (and a Retry-After).
/// </summary>
public sealed class FakeDora : IAsyncDisposable
{
    public const string Path = "/api/v2/dora/incident";

    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<DoraRequest> requests = [];
    private readonly Queue<(HttpStatusCode Status, int? RetryAfterSeconds)> failures = new();
    private TaskCompletionSource received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeDora(WebApplication app, string apiKey)
    {
        this.app = app;
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    /// <summary>What to configure as <c>Dora:Endpoint</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<DoraRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>The requests it accepted (answered 202).</summary>
    public IReadOnlyList<DoraRequest> Accepted => Requests.Where(r => r.Status == HttpStatusCode.Accepted).ToList();

    public static async Task<FakeDora> StartAsync(string apiKey = "dd-fake-api-key")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeDora(builder.Build(), apiKey);
        fake.app.MapPost(Path, fake.ReceiveAsync);
        await fake.app.StartAsync();
        var address = fake.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.Endpoint = new Uri(new Uri(address), Path);
        return fake;
    }

    /// <summary>The next request is answered with <paramref name="status"/>, and a Retry-After when given.</summary>
    public void FailNext(HttpStatusCode status, int? retryAfterSeconds = null)
    {
        lock (gate)
        {
            failures.Enqueue((status, retryAfterSeconds));
        }
    }

    /// <summary>Waits (in real time, 10 s at most) until <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<DoraRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (requests.Count >= count)
                {
                    return [.. requests];
                }

                next = received.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"FakeDora received {Requests.Count} request(s), not {count}.");
            }

            await Task.WhenAny(next, Task.Delay(remaining));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var key = context.Request.Headers["DD-API-KEY"].ToString();
        HttpStatusCode status;
        int? retryAfter;
        TaskCompletionSource signal;
        lock (gate)
        {
            (status, retryAfter) = key != ApiKey ? (HttpStatusCode.Forbidden, null)
                : failures.TryDequeue(out var failure) ? failure
                : (HttpStatusCode.Accepted, null);
            requests.Add(new DoraRequest(key, body.RootElement.Clone(), status));
            signal = received;
            received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();

        context.Response.StatusCode = (int)status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(status == HttpStatusCode.Accepted
            ? new { data = new { id = Guid.NewGuid().ToString(), type = "dora_incident" } }
            : new { errors = new[] { status.ToString() } } as object);
    }
}

/// <summary>One request FakeDora answered.</summary>
public sealed record DoraRequest(string ApiKey, JsonElement Body, HttpStatusCode Status)
{
    public JsonElement Attributes => Body.GetProperty("data").GetProperty("attributes");
}
