using IncidentBot.Slack.AspNetCore;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Tests.AspNetCore;

/// <summary>A minimal real host (Kestrel on a loopback port) with the Slack endpoints and recording handlers.</summary>
internal sealed class SlackTestHost : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret";

    private readonly WebApplication app;

    private SlackTestHost(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Client { get; }
    public SlackRequestSigner Signer { get; } = new(SigningSecret);
    public HandlerLog Log => app.Services.GetRequiredService<HandlerLog>();

    public static async Task<SlackTestHost> StartAsync(Action<SlackOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<HandlerLog>();
        builder.Services
            .AddSlack(options =>
            {
                options.BotToken = "xoxb-test";
                options.SigningSecret = SigningSecret;
                // One worker keeps queued work in order, so a later marker event proves earlier work is done.
                options.WorkerConcurrency = 1;
                configure?.Invoke(options);
            })
            .AddEventHandler<MessageEvent, MessageRecorder>()
            .AddEventHandler<AppMention, GatedMentionHandler>()
            .AddSlashCommandHandler<EchoCommand>(EchoCommand.Name)
            .AddSlashCommandHandler<SlowCommand>(SlowCommand.Name)
            .AddBlockActionHandler<ButtonRecorder>(ButtonRecorder.ActionId)
            .AddViewSubmissionHandler<TitleSubmission>(TitleSubmission.CallbackId);

        var app = builder.Build();
        app.MapSlackEndpoints();
        await app.StartAsync();
        return new SlackTestHost(app, new Uri(app.Urls.First()));
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Client.SendAsync(request);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public static string MessageEventJson(string eventId, string text = "hello", string channel = "C1") => $$"""
        {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"{{eventId}}","event_time":1700000000,
         "event":{"type":"message","channel":"{{channel}}","user":"U1","text":"{{text}}","ts":"1700000000.000100","event_ts":"1700000000.000100","channel_type":"channel"},
         "authorizations":[{"team_id":"T1","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}]}
        """;

    /// <summary>Sends a valid event and waits until it was handled: everything queued before it has run.</summary>
    public async Task SendMarkerEventAsync()
    {
        using var response = await SendAsync(Signer.Event(MessageEventJson("EvMarker", "marker")));
        response.EnsureSuccessStatusCode();
        await Log.WaitForAsync(entry => entry.Payload is MessageEvent { Text: "marker" });
    }
}

internal sealed record HandledPayload(string Kind, object Payload, EventContext? Context = null);

/// <summary>What the test handlers saw, plus a gate that blocking handlers wait on.</summary>
internal sealed class HandlerLog
{
    private readonly Lock gate = new();
    private readonly List<HandledPayload> entries = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<HandledPayload> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public void Add(HandledPayload entry)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            entries.Add(entry);
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    public async Task<HandledPayload> WaitForAsync(Func<HandledPayload, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (entries.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                next = changed.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching handler call; seen: {string.Join(", ", Entries.Select(e => e.Kind))}");
            }

            await Task.WhenAny(next, Task.Delay(remaining));
        }
    }
}

internal sealed class MessageRecorder(HandlerLog log) : IEventHandler<MessageEvent>
{
    public Task HandleAsync(MessageEvent slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        log.Add(new HandledPayload("message", slackEvent, context));
        return Task.CompletedTask;
    }
}

/// <summary>Holds until the test releases it, to show that Slack was acknowledged before the work ran.</summary>
internal sealed class GatedMentionHandler(HandlerLog log) : IEventHandler<AppMention>
{
    public async Task HandleAsync(AppMention slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        await log.Release.Task.WaitAsync(cancellationToken);
        log.Add(new HandledPayload("mention", slackEvent, context));
    }
}

internal sealed class EchoCommand(HandlerLog log) : ISlashCommandHandler
{
    public const string Name = "/echo";

    public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        log.Add(new HandledPayload("command", command));
        return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral($"echo: {command.Text}"));
    }
}

internal sealed class SlowCommand(HandlerLog log) : ISlashCommandHandler
{
    public const string Name = "/slow";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        await log.Release.Task.WaitAsync(cancellationToken);
        return SlashCommandResponse.InChannel("done, late");
    }
}

internal sealed class ButtonRecorder(HandlerLog log) : IBlockActionHandler
{
    public const string ActionId = "a";

    public Task HandleAsync(BlockAction action, BlockActionsPayload payload, CancellationToken cancellationToken)
    {
        log.Add(new HandledPayload("action", action));
        return Task.CompletedTask;
    }
}

internal sealed class TitleSubmission : IViewSubmissionHandler
{
    public const string CallbackId = "view-id";

    public Task<ViewSubmissionResponse?> HandleAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken) =>
        Task.FromResult(submission.View.State?.Find("hspI", "maBWU")?.Value == "test"
            ? ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["hspI"] = "That title is taken" })
            : null);
}
