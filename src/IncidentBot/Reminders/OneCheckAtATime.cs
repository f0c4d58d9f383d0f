namespace IncidentBot.Reminders;

/// <summary>
/// Runs a reminder job's checks one at a time in this process. A check asked for by hand (as tests do) while the job's
/// own loop is checking waits for it, so when it returns every reminder that was due has been sent and counted, and
/// none is still on its way to Slack.
/// </summary>
internal sealed class OneCheckAtATime : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);

    public async Task<int> RunAsync(Func<CancellationToken, Task<int>> check, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await check(cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    public void Dispose() => turn.Dispose();
}
