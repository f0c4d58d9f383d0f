using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.SlackApp;

/// <summary>
/// Runs the Slack work stored in <see cref="SqliteSlackInbox"/>, oldest first, and removes a batch of
/// items once they have run. What a crash interrupts is still stored and runs again after the restart; the
/// handlers are idempotent (messages are unique by channel and ts, state changes to the same state
/// change nothing), so running an item twice does no harm.
/// </summary>
public sealed class DurableSlackWorkProcessor(
    SqliteSlackInbox inbox,
    SlackDispatcher dispatcher,
    ILogger<DurableSlackWorkProcessor> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long lastId = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await inbox.ReadPendingAsync(lastId, BatchSize, stoppingToken);
            foreach (var work in batch)
            {
                await RunAsync(work, stoppingToken);
                lastId = work.Id;
            }

            await inbox.CompleteAsync([.. batch.Select(work => work.Id)], stoppingToken);

            if (batch.Count < BatchSize)
            {
                await WaitForWorkAsync(stoppingToken);
            }
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
