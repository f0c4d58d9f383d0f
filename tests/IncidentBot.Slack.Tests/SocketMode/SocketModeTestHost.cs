using System.Text.Json.Nodes;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Slack.Tests.AspNetCore;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>
/// A generic host running only the Slack transport in Socket Mode against a fresh FakeSlack, with
/// recording handlers, one connection unless told otherwise, and every log line kept.
/// </summary>
internal sealed class SocketModeTestHost : IAsyncDisposable
{
    private readonly IHost host;

    private SocketModeTestHost(FakeSlack slack, IHost host, LogCapture logs)
    {
        Slack = slack;
        this.host = host;
        Logs = logs;
    }

    public FakeSlack Slack { get; }
    public FakeSocketMode SocketMode => Slack.SocketMode;
    public LogCapture Logs { get; }
    public HandlerLog Handled => host.Services.GetRequiredService<HandlerLog>();
    public IServiceProvider Services => host.Services;

    /// <summary>The running service's ExecuteAsync, which ends when Socket Mode stops for good.</summary>
    public Task SocketModeTask => host.Services.GetServices<IHostedService>().OfType<SocketModeService>().Single().ExecuteTask!;

    /// <param name="time">A manual clock for the backoff tests; the real one otherwise.</param>
    /// <param name="beforeStart">Runs with the fake already listening, before the host starts connecting.</param>
    public static async Task<SocketModeTestHost> StartAsync(
        Action<SlackOptions>? configure = null,
        TimeProvider? time = null,
        Action<SlackBuilder>? handlers = null,
        Action<FakeSlack>? beforeStart = null)
    {
        var slack = await FakeSlack.StartAsync();
        beforeStart?.Invoke(slack);
        var logs = new LogCapture();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddSingleton<HandlerLog>();
        var slackBuilder = builder.Services
            .AddSlack(options =>
            {
                options.BotToken = slack.BotToken;
                options.AppToken = slack.AppToken;
                options.ApiBaseUrl = slack.ApiBaseUrl;
                options.SocketModeConnections = 1;
                options.SocketModeReconnectDelay = TimeSpan.FromMilliseconds(20);
                options.RetryBaseDelay = TimeSpan.Zero;
                // One worker keeps queued work in order, so a later marker event proves earlier work is done.
                options.WorkerConcurrency = 1;
                configure?.Invoke(options);
            })
            .AddEventHandler<MessageEvent, MessageRecorder>()
            .AddEventHandler<AppMention, MentionRecorder>()
            .AddSlashCommandHandler<EchoCommand>(EchoCommand.Name)
            .AddSlashCommandHandler<SlowCommand>(SlowCommand.Name)
            .AddBlockActionHandler<ButtonRecorder>(ButtonRecorder.ActionId)
            .AddViewSubmissionHandler<TitleSubmission>(TitleSubmission.CallbackId);
        handlers?.Invoke(slackBuilder);

        var host = builder.Build();
        await host.StartAsync();
        return new SocketModeTestHost(slack, host, logs);
    }

    /// <summary>
    /// Sends a message event on <paramref name="socket"/> and waits for its handler: every event
    /// acknowledged before it has been handled too (one worker, in queue order).
    /// </summary>
    public async Task SendMarkerEventAsync(FakeSocket socket)
    {
        var envelopeId = await socket.SendEnvelopeAsync("events_api", EventJson("EvMarker-" + Guid.NewGuid().ToString("N"), "marker"));
        await socket.WaitForAckAsync(envelopeId);
        await Handled.WaitForAsync(entry => entry.Payload is MessageEvent { Text: "marker" });
    }

    /// <summary>Message events with <paramref name="text"/> that reached the handler.</summary>
    public IReadOnlyList<HandledPayload> MessagesWithText(string text) =>
        Handled.Entries.Where(entry => entry.Payload is MessageEvent message && message.Text == text).ToList();

    public static string EventJson(string eventId, string text) => SlackTestHost.MessageEventJson(eventId, text);

    /// <summary>A shared fixture file with the JSON edited, e.g. to point a slash command at a registered handler.</summary>
    public static string EditedFixture(string name, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(Fixture.Read(name))!.AsObject();
        edit(json);
        return json.ToJsonString();
    }

    /// <summary>Stops the application (as on shutdown) and leaves the fake running.</summary>
    public Task StopHostAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await Slack.DisposeAsync();
    }
}

internal sealed class MentionRecorder(HandlerLog log) : IEventHandler<AppMention>
{
    public Task HandleAsync(AppMention slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        log.Add(new HandledPayload("mention", slackEvent, context));
        return Task.CompletedTask;
    }
}

/// <summary>The in-memory inbox, except that it can be told it is full.</summary>
internal sealed class FillableInbox(IOptions<SlackOptions> options, TimeProvider time) : ISlackInboxStore
{
    private readonly InMemorySlackInboxStore inner = new(options, time);

    public bool IsFull { get; set; }

    public ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default) =>
        IsFull ? ValueTask.FromResult(Acceptance.Rejected) : inner.AcceptAsync(item, cancellationToken);

    public Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadPendingAsync(afterId, limit, cancellationToken);

    public Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(ids, cancellationToken);

    public Task WaitForWorkAsync(CancellationToken cancellationToken) => inner.WaitForWorkAsync(cancellationToken);

    public Task<int> CountPendingAsync(CancellationToken cancellationToken = default) => inner.CountPendingAsync(cancellationToken);
}
