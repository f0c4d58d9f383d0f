using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Handlers;

public enum SlackWorkKind
{
    Event,
    BlockActions,
}

/// <summary>Work accepted from Slack and acknowledged, to be run by <see cref="SlackDispatcher.RunAsync"/>.</summary>
/// <param name="Payload">The payload JSON exactly as Slack sent it, so a durable queue can store it as text.</param>
/// <param name="EventId">The event's id, for a queue that deduplicates as it stores; null for other kinds.</param>
public sealed record SlackWorkItem(SlackWorkKind Kind, string Payload, int RetryNum = 0, string? RetryReason = null, string? EventId = null);

/// <summary>
/// Where acknowledged work waits for its handlers. An interface because the in-process default
/// loses work on restart; the application can swap in a durable queue.
/// </summary>
public interface ISlackWorkQueue
{
    /// <summary>False when the queue cannot take more work; the caller should then make Slack retry.</summary>
    ValueTask<bool> TryEnqueueAsync(SlackWorkItem item, CancellationToken cancellationToken = default);
}

/// <summary>The default queue: a bounded in-memory channel drained by <see cref="SlackWorkQueueProcessor"/>.</summary>
public sealed class InMemorySlackWorkQueue : ISlackWorkQueue
{
    private readonly Channel<SlackWorkItem> channel;

    public InMemorySlackWorkQueue(IOptions<SlackOptions> options)
    {
        channel = Channel.CreateBounded<SlackWorkItem>(new BoundedChannelOptions(options.Value.WorkQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
        });
    }

    internal ChannelReader<SlackWorkItem> Reader => channel.Reader;

    // Never waits for room: the ack to Slack must not be delayed by a backlog.
    public ValueTask<bool> TryEnqueueAsync(SlackWorkItem item, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(channel.Writer.TryWrite(item));
}

/// <summary>Runs the items of <see cref="InMemorySlackWorkQueue"/>, a few at a time, until shutdown.</summary>
public sealed class SlackWorkQueueProcessor(
    InMemorySlackWorkQueue queue,
    SlackDispatcher dispatcher,
    IOptions<SlackOptions> options,
    ILogger<SlackWorkQueueProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.WorkerConcurrency,
            CancellationToken = stoppingToken,
        };
        try
        {
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stoppingToken), parallel, RunAsync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: items still in memory are lost, which is why the queue is replaceable.
        }
    }

    private async ValueTask RunAsync(SlackWorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            await dispatcher.RunAsync(item, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Queued Slack {Kind} work failed", item.Kind);
        }
    }
}
