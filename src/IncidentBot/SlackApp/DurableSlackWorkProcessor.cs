using System.Text.Json;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.SlackApp;

/// <summary>
/// Runs the Slack work stored in <see cref="SqliteSlackInbox"/>, oldest first, and removes a batch of
/// items once they have run. What a crash interrupts is still stored and runs again after the restart;
/// the handlers are idempotent (messages are unique by channel and ts, state changes to the same state
/// change nothing), so running an item twice does no harm.
/// </summary>
/// <remarks>
/// Channel messages, edits and deletes are stored in any order to the same result, so a run of them is
/// handled concurrently and their writes share transactions. Anything else (a mention that changes an
/// incident, a click) waits for what came before it and runs alone, so changes keep Slack's order.
/// </remarks>
public sealed class DurableSlackWorkProcessor(
    SqliteSlackInbox inbox,
    SlackDispatcher dispatcher,
    ILogger<DurableSlackWorkProcessor> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private const int MaxConcurrentMessages = 64;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long lastId = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await inbox.ReadPendingAsync(lastId, BatchSize, stoppingToken);
            foreach (var run in InOrderRuns(batch))
            {
                await Parallel.ForEachAsync(run, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentMessages, CancellationToken = stoppingToken },
                    async (work, token) => await RunAsync(work, token));
            }

            if (batch.Count > 0)
            {
                lastId = batch[^1].Id;
                await inbox.CompleteAsync([.. batch.Select(work => work.Id)], stoppingToken);
            }

            if (batch.Count < BatchSize)
            {
                await WaitForWorkAsync(stoppingToken);
            }
        }
    }

    /// <summary>Consecutive channel messages form one run; every other item is a run of its own.</summary>
    private static IEnumerable<List<StoredSlackWork>> InOrderRuns(IReadOnlyList<StoredSlackWork> batch)
    {
        var messages = new List<StoredSlackWork>();
        foreach (var work in batch)
        {
            if (IsChannelMessage(work.Item))
            {
                messages.Add(work);
                continue;
            }

            if (messages.Count > 0)
            {
                yield return messages;
                messages = [];
            }

            yield return [work];
        }

        if (messages.Count > 0)
        {
            yield return messages;
        }
    }

    private static bool IsChannelMessage(SlackWorkItem item)
    {
        if (item.Kind != SlackWorkKind.Event)
        {
            return false;
        }

        try
        {
            using var payload = JsonDocument.Parse(item.Payload);
            return payload.RootElement.TryGetProperty("event", out var slackEvent)
                   && slackEvent.ValueKind == JsonValueKind.Object
                   && slackEvent.TryGetProperty("type", out var type) && type.ValueEquals("message");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task RunAsync(StoredSlackWork work, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.RunAsync(work.Item, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The dispatcher already isolates handler failures; this is a payload that no longer parses.
            logger.LogError(exception, "Dropping stored Slack {Kind} work {Id} that cannot run", work.Item.Kind, work.Id);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(IdlePoll);
        try
        {
            await inbox.WaitForWorkAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }
}
