using System.Collections.Concurrent;
using IncidentBot.Storage;

namespace IncidentBot.Cluster;

/// <summary>The jobs that one replica at a time runs for the whole cluster, by the name their lease row has.</summary>
public static class ClusterJob
{
    /// <summary>Looking every 15 s for incidents whose Slack channel is behind (<c>IncidentChannelSync</c>).</summary>
    public const string ChannelRescan = "channel rescan";

    /// <summary>Reading the incident channels' history back after a start or a reconnect (<c>ChannelCatchUp</c>).</summary>
    public const string ChannelCatchUp = "channel catch-up";

    /// <summary>Embedding at start the incidents whose vectors are missing or stale (<c>BackgroundIncidentEmbedder</c>).</summary>
    public const string IncidentEmbeddings = "incident embeddings";

    public static IReadOnlyList<string> All { get; } = [ChannelRescan, ChannelCatchUp, IncidentEmbeddings];
}

/// <summary>
/// Runs cluster-wide jobs under their <see cref="IJobLeases"/> lease, so that of several replicas (or processes on one
/// SQLite file) one at a time runs each. A lease lasts <see cref="LeaseLifetime"/> and its holder renews it every
/// <see cref="RenewEvery"/>; the others try as often, so a job whose holder died or stalled is taken over within
/// <see cref="LeaseLifetime"/> + <see cref="RenewEvery"/> of its last renewal. A holder that stops gives its leases up,
/// so the next one takes over at its next try. A holder that finds its lease taken stops the job's work.
/// </summary>
public sealed class ClusterJobs(IJobLeases leases, ReplicaId replica, TimeProvider time, ILogger<ClusterJobs> logger)
{
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RenewEvery = LeaseLifetime / 3;

    // The jobs this replica runs or is taking the lease of: true once it holds the lease.
    private readonly ConcurrentDictionary<string, bool> held = new();

    /// <summary>Who this replica is in the leases.</summary>
    public ReplicaId Replica => replica;

    /// <summary>Whether this replica holds the job's lease now.</summary>
    public bool Holds(string job) => held.TryGetValue(job, out var holds) && holds;

    /// <summary>
    /// Runs <paramref name="work"/>, a job that goes on until cancelled, whenever this replica holds the job's lease,
    /// until <paramref name="stoppingToken"/>: waits while another replica holds it, and starts the work again after
    /// taking the lease back from whoever had it meanwhile.
    /// </summary>
    public async Task RunWhileHeldAsync(string job, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (await TryTakeAsync(job, stoppingToken))
            {
                try
                {
                    await HoldAsync(job, work, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(exception, "{Job} failed; the job's lease is given up and taken again in {Seconds} s", job, RenewEvery.TotalSeconds);
                }
            }

            await Task.Delay(RenewEvery, time, stoppingToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> once under the job's lease. While another replica holds it, its run serves this one
    /// too: this waits, and runs only if that replica's lease lapses (it died on the way) rather than being given up.
    /// </summary>
    /// <returns>Whether the work ran here.</returns>
    public async Task<bool> RunOnceAsync(string job, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        while (!await TryTakeAsync(job, cancellationToken))
        {
            await Task.Delay(RenewEvery, time, cancellationToken);
            if (await leases.GetAsync(job, cancellationToken) is null)
            {
                return false;
            }
        }

        await HoldAsync(job, work, cancellationToken);
        return true;
    }

    /// <summary>Takes the lease, unless this replica runs the job already (or is taking it); <see cref="HoldAsync"/> follows a success.</summary>
    private async Task<bool> TryTakeAsync(string job, CancellationToken cancellationToken)
    {
        if (!held.TryAdd(job, false))
        {
            return false;
        }

        var attempt = new JobLeaseAttempt(false);
        try
        {
            attempt = await leases.TryTakeAsync(job, replica.Value, time.GetUtcNow(), LeaseLifetime, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("{Job}: could not take the job's lease ({Cause}); trying again in {Seconds} s", job, exception.Message, RenewEvery.TotalSeconds);
        }
        finally
        {
            if (!attempt.Held)
            {
                held.TryRemove(job, out _);
            }
        }

        if (attempt.LapsedHolder is { } lapsed)
        {
            logger.LogInformation("{Job}: this replica took the job over from {Holder}, whose lease lapsed", job, lapsed);
        }

        return attempt.Held;
    }

    /// <summary>Runs the work while renewing the lease; stops it when the lease is lost, gives the lease up when it ends.</summary>
    private async Task HoldAsync(string job, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var renewals = new PeriodicTimer(RenewEvery, time);
        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        held[job] = true;
        var running = Task.Run(() => work(whileHeld.Token), CancellationToken.None);
        var lost = false;
        try
        {
            lost = await RenewUntilDoneAsync(job, running, renewals, stoppingToken);
        }
        finally
        {
            await whileHeld.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException) when (whileHeld.IsCancellationRequested)
            {
            }
            finally
            {
                held.TryRemove(job, out _);
                if (!lost)
                {
                    await ReleaseAsync(job);
                }
            }
        }
    }

    /// <returns>True when the lease was lost before the work ended.</returns>
    private async Task<bool> RenewUntilDoneAsync(string job, Task running, PeriodicTimer renewals, CancellationToken stoppingToken)
    {
        var heldUntil = time.GetUtcNow() + LeaseLifetime;
        while (true)
        {
            var tick = renewals.WaitForNextTickAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(running, tick) == running)
            {
                return false;
            }

            await tick;
            var now = time.GetUtcNow();
            try
            {
                if ((await leases.TryTakeAsync(job, replica.Value, now, LeaseLifetime, stoppingToken)).Held)
                {
                    heldUntil = now + LeaseLifetime;
                    continue;
                }

                logger.LogWarning("{Job}: another replica took the job over; this one stops it", job);
                return true;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                if (now >= heldUntil)
                {
                    logger.LogWarning("{Job}: the job's lease could not be renewed before it lapsed ({Cause}); this replica stops the job", job, exception.Message);
                    return true;
                }

                logger.LogWarning("{Job}: the job's lease could not be renewed ({Cause}); trying again in {Seconds} s", job, exception.Message, RenewEvery.TotalSeconds);
            }
        }
    }

    private async Task ReleaseAsync(string job)
    {
        try
        {
            // Also when stopping: the next holder takes over at once rather than after the lease lapses.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await leases.ReleaseAsync(job, replica.Value, timeout.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning("{Job}: the job's lease could not be given up ({Cause}); it lapses within {Seconds} s", job, exception.Message, LeaseLifetime.TotalSeconds);
        }
    }
}
