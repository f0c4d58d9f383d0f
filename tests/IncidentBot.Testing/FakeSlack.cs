using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>
/// A small Slack Web API on 127.0.0.1 (random port) that answers like Slack: ok:false error codes
/// with HTTP 200, bearer-token checks, simple channel/message state. It records every call and
/// can be told to fail the next calls of a method with 429 or 5xx.
/// </summary>
public sealed partial class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<RecordedCall> calls = [];
    private readonly Dictionary<string, Queue<InjectedFailure>> failures = new(StringComparer.Ordinal);
    private TaskCompletionSource callRecorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeSlack(WebApplication app, string botToken, string appToken)
    {
        this.app = app;
        BotToken = botToken;
        AppToken = appToken;
        SocketMode = new FakeSocketMode(() => BaseUrl);
        Users[BotUserId] = new FakeUser(BotUserId, "incident-bot", "Incident Bot", IsBot: true);
    }

    public string BotToken { get; }
    public string AppToken { get; }
    public string TeamId { get; } = "T0FAKE";
    public string BotUserId { get; } = "U0BOT";
    public string BotId { get; } = "B0BOT";

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What to configure as the client's Slack API base URL.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>The WebSocket end of apps.connections.open.</summary>
    public FakeSocketMode SocketMode { get; }

    public Dictionary<string, FakeChannel> Channels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeUser> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeView> Views { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeSlack> StartAsync(string botToken = "xoxb-fake-bot-token", string appToken = "xapp-fake-app-token")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeSlack(builder.Build(), botToken, appToken);
        fake.MapRoutes();
        await fake.app.StartAsync();
        var address = fake.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public IReadOnlyList<RecordedCall> CallsTo(string method) => Calls.Where(call => call.Method == method).ToList();

    /// <summary>The first call to <paramref name="method"/> matching <paramref name="match"/>, already made or still to come.</summary>
    public Task<RecordedCall> WaitForCallAsync(string method, Func<RecordedCall, bool>? match = null, TimeSpan? timeout = null) =>
        WaitForCallsAsync(method, 1, match, timeout).ContinueWith(task => task.Result[0], TaskScheduler.Default);

    /// <summary>Waits until <paramref name="count"/> matching calls were made; fails after <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForCallsAsync(
        string method, int count, Func<RecordedCall, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task recorded;
            lock (gate)
            {
                var matching = calls.Where(call => call.Method == method && (match?.Invoke(call) ?? true)).ToList();
                if (matching.Count >= count)
                {
                    return matching;
                }

                recorded = callRecorded.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"FakeSlack saw fewer than {count} matching call(s) to {method}; calls: {string.Join(", ", Calls.Select(c => c.Method))}");
            }

            await Task.WhenAny(recorded, Task.Delay(remaining));
        }
    }

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> get HTTP 429 with Retry-After.</summary>
    public void RateLimitNext(string method, int times, int retryAfterSeconds = 1) =>
        Inject(method, times, new InjectedFailure(HttpStatusCode.TooManyRequests, retryAfterSeconds, "ratelimited"));

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> get an HTTP error status.</summary>
    public void FailNext(string method, int times, HttpStatusCode status = HttpStatusCode.InternalServerError) =>
        Inject(method, times, new InjectedFailure(status, null, null));

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> get HTTP 200 with ok:false and <paramref name="error"/>.</summary>
    public void ErrorNext(string method, string error, int times = 1) =>
        Inject(method, times, new InjectedFailure(HttpStatusCode.OK, null, error));

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> get no answer until the client gives up.</summary>
    public void StallNext(string method, int times = 1) =>
        Inject(method, times, new InjectedFailure(HttpStatusCode.OK, null, null, Stall: true));

    /// <summary>
    /// The next <paramref name="times"/> calls to <paramref name="method"/> are carried out (a message is posted), but
    /// their answer never comes: as when the caller dies just after Slack did what it asked.
    /// </summary>
    public void LoseAnswerNext(string method, int times = 1) =>
        Inject(method, times, new InjectedFailure(HttpStatusCode.OK, null, null, Stall: true, CarriedOut: true));

    /// <summary>A response_url pointing back at this fake; posts to it are recorded as method "response_url".</summary>
    public string ResponseUrl(string id = "1") => new Uri(BaseUrl, $"response/{id}").ToString();

    public FakeChannel AddChannel(string name, bool isPrivate = false, bool botIsMember = true, params string[] members)
    {
        lock (gate)
        {
            var channel = new FakeChannel($"C{Channels.Count + 1:D8}", name, isPrivate);
            if (botIsMember)
            {
                channel.Members.Add(BotUserId);
            }

            channel.Members.UnionWith(members);
            Channels[channel.Id] = channel;
            return channel;
        }
    }

    /// <summary>Someone joins the channel (as an invite by a member would make them); the bot hears of it only through an event the test sends.</summary>
    public void Join(FakeChannel channel, string userId)
    {
        lock (gate)
        {
            channel.Members.Add(userId);
        }
    }

    /// <summary>Someone leaves the channel, or is removed from it.</summary>
    public void Leave(FakeChannel channel, string userId)
    {
        lock (gate)
        {
            channel.Members.Remove(userId);
        }
    }

    /// <summary>The app's direct messages with a person, once it has written to them.</summary>
    public FakeChannel? DirectMessagesWith(string userId)
    {
        lock (gate)
        {
            return Channels.GetValueOrDefault("D" + userId);
        }
    }

    /// <summary>The channel's messages as they stand, oldest first (none for a channel it does not have), safe to read while the bot posts.</summary>
    public IReadOnlyList<FakeMessage> MessagesIn(string channelId)
    {
        lock (gate)
        {
            return Channels.TryGetValue(channelId, out var channel) ? [.. channel.Messages] : [];
        }
    }

    public FakeUser AddUser(string id, string name, string? realName = null)
    {
        lock (gate)
        {
            return Users[id] = new FakeUser(id, name, realName ?? name);
        }
    }

    /// <summary>Adds a message as if someone had posted it; returns its ts.</summary>
    public string AddMessage(string channelId, string user, string text, string? threadTs = null)
    {
        lock (gate)
        {
            var message = new FakeMessage(NextTs(), user, text) { ThreadTs = threadTs };
            Channels[channelId].Messages.Add(message);
            return message.Ts;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // An open WebSocket request would otherwise hold the server's shutdown.
        SocketMode.AbortAll();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private void MapRoutes()
    {
        app.UseWebSockets();
        app.Map("/link/", SocketMode.AcceptAsync);
        app.MapPost("/api/{method}", HandleApiAsync);
        app.MapPost("/response/{id}", HandleResponseUrlAsync);
    }

    private async Task HandleApiAsync(HttpContext context, string method)
    {
        var call = await RecordAsync(context, method);
        if (TakeFailure(method) is { } failure)
        {
            if (failure.CarriedOut)
            {
                lock (gate)
                {
                    _ = AuthenticationError(call) ?? Answer(call);
                }
            }

            await WriteFailureAsync(context.Response, failure);
            return;
        }

        JsonObject answer;
        lock (gate)
        {
            answer = AuthenticationError(call) ?? Answer(call);
        }

        await WriteJsonAsync(context.Response, answer);
    }

    private async Task HandleResponseUrlAsync(HttpContext context, string id)
    {
        await RecordAsync(context, "response_url");
        if (TakeFailure("response_url") is { } failure)
        {
            await WriteFailureAsync(context.Response, failure);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("ok");
    }

    private async Task<RecordedCall> RecordAsync(HttpContext context, string method)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var call = new RecordedCall(method, context.Request.Path, headers, context.Request.ContentType, ParseBody(context.Request.ContentType, text), DateTimeOffset.UtcNow);
        TaskCompletionSource signal;
        lock (gate)
        {
            calls.Add(call);
            signal = callRecorded;
            callRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        return call;
    }

    private static JsonElement ParseBody(string? contentType, string text)
    {
        if (contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            return string.IsNullOrWhiteSpace(text) ? JsonSerializer.SerializeToElement(new { }) : JsonDocument.Parse(text).RootElement.Clone();
        }

        var form = new JsonObject();
        foreach (var field in new FormReader(text).ReadForm())
        {
            form[field.Key] = field.Value.ToString();
        }

        return JsonSerializer.SerializeToElement(form);
    }

    private JsonObject? AuthenticationError(RecordedCall call)
    {
        var expected = call.Method == "apps.connections.open" ? AppToken : BotToken;
        var authorization = call.Authorization;
        if (string.IsNullOrEmpty(authorization))
        {
            return Error("not_authed");
        }

        return authorization == $"Bearer {expected}" ? null : Error("invalid_auth");
    }

    private void Inject(string method, int times, InjectedFailure failure)
    {
        lock (gate)
        {
            if (!failures.TryGetValue(method, out var queue))
            {
                failures[method] = queue = new Queue<InjectedFailure>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(failure);
            }
        }
    }

    private InjectedFailure? TakeFailure(string method)
    {
        lock (gate)
        {
            return failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure) ? failure : null;
        }
    }

    private static async Task WriteFailureAsync(HttpResponse response, InjectedFailure failure)
    {
        if (failure.Stall)
        {
            await Task.Delay(Timeout.Infinite, response.HttpContext.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        response.StatusCode = (int)failure.Status;
        if (failure.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (failure.Error is { } error)
        {
            await WriteJsonAsync(response, Error(error));
        }
    }

    private static Task WriteJsonAsync(HttpResponse response, JsonObject answer)
    {
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(answer.ToJsonString());
    }

    private sealed record InjectedFailure(HttpStatusCode Status, int? RetryAfterSeconds, string? Error, bool Stall = false, bool CarriedOut = false);
}
