using System.Net;
using System.Net.Http.Json;
using IncidentBot.Slack.Api;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IncidentBot.Dora;

/// <summary>
/// Delivers the DORA outbox to <c>Dora:Endpoint</c>, oldest first, in the background: the declaration or resolution
/// has committed long before. A failed attempt is tried again later (408, 429 after its Retry-After, 5xx, network
/// errors and timeouts, with the wait doubling from <c>Dora:RetryDelay</c>); another 4xx gives the event up. The
/// waits live in the outbox, so a restart resumes where the last process stopped, and a delivered event is not sent
/// again. Woken by <see cref="DoraOutboxObserver"/>, and once a minute for events other processes recorded.
/// </summary>
public sealed class DoraSender(
    IDoraOutbox outbox, IIncidentReader incidents, IHttpClientFactory http, IOptions<DoraOptions> options, TimeProvider time,
    ILogger<DoraSender> logger) : BackgroundService
{
    public const string HttpClientName = "IncidentBot.Dora";
    public const string ApiKeyHeader = "DD-API-KEY";
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);
    private const int BatchSize = 20;

    private readonly SemaphoreSlim wakeUp = new(0, 1);

    /// <summary>Sends what is due now instead of at the next check.</summary>
    public void Wake()
    {
        if (wakeUp.CurrentCount == 0)
        {
            try
            {
                wakeUp.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken by someone else at the same moment: once is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                await WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "DORA events: the outbox could not be read; trying again in {Seconds} s", CheckEvery.TotalSeconds);
                await WaitAsync(CheckEvery, stoppingToken);
            }
        }
    }

    /// <returns>How many events were delivered.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var due = await outbox.ClaimDueAsync(time.GetUtcNow(), settings.RequestTimeout + CheckEvery, BatchSize, cancellationToken);
        var delivered = 0;
        foreach (var record in due)
        {
            // A delivery under way is finished (Dora:RequestTimeout bounds it) even when the host is stopping: one
            // broken off after the endpoint took it would be sent again once its lease ran out.
            delivered += await DeliverAsync(record, settings, CancellationToken.None) ? 1 : 0;
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return delivered;
    }

    private async Task<bool> DeliverAsync(DoraOutboxRecord record, DoraOptions settings, CancellationToken cancellationToken)
    {
        var incident = await incidents.GetRequiredAsync(record.IncidentNumber, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint!.Trim())
        {
            Content = JsonContent.Create(DoraIncidentEvent.For(incident, record, settings)),
        };
        request.Headers.Add(ApiKeyHeader, settings.ApiKey!.Trim());
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await outbox.MarkDeliveredAsync(record.Id, time.GetUtcNow(), cancellationToken);
                logger.LogInformation("{Incident}: DORA {Event} event delivered", incident.Reference, Describe(record.Event));
                return true;
            }

            var error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            if (IsTransient(response.StatusCode))
            {
                await RetryLaterAsync(record, settings, error, RetryAfterDelay.Read(response, time), cancellationToken);
            }
            else
            {
                logger.LogError("{Incident}: DORA {Event} event refused by the endpoint ({Error}); it is not sent again",
                    incident.Reference, Describe(record.Event), error);
                await outbox.GiveUpAsync(record.Id, time.GetUtcNow(), error, cancellationToken);
            }
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await RetryLaterAsync(record, settings, failure.Message, null, cancellationToken);
        }

        return false;
    }

    private async Task RetryLaterAsync(DoraOutboxRecord record, DoraOptions settings, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var wait = RetryAfterDelay.Clamp(retryAfter ?? Backoff(record.Attempts, settings), settings.MaxRetryDelay);
        logger.LogWarning("INC-{Number}: DORA {Event} event not delivered ({Error}); trying again in {Wait}",
            record.IncidentNumber, Describe(record.Event), error, wait);
        await outbox.RetryLaterAsync(record.Id, time.GetUtcNow() + wait, error, CancellationToken.None);
    }

    /// <summary>RetryDelay after the first attempt, doubling after each further one.</summary>
    private static TimeSpan Backoff(int attempts, DoraOptions settings) =>
        TimeSpan.FromTicks((long)Math.Min(settings.RetryDelay.Ticks * Math.Pow(2, Math.Max(0, attempts - 1)), settings.MaxRetryDelay.Ticks));

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken) =>
        await outbox.NextDueAsync(cancellationToken) is { } next ? Min(Max(next - time.GetUtcNow(), TimeSpan.Zero), CheckEvery) : CheckEvery;

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(wait, time, waiting.Token), wakeUp.WaitAsync(waiting.Token));
        await waiting.CancelAsync();
    }

    private static string Describe(DoraEventKind kind) => kind == DoraEventKind.Declared ? "declaration" : "resolution";

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;

    public override void Dispose()
    {
        wakeUp.Dispose();
        base.Dispose();
    }
}
