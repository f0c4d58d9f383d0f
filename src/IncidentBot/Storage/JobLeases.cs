using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>Job leases in <c>job_leases</c> (SQLite step 13, PostgreSQL step 9): taking or renewing one is one conditional upsert.</summary>
public sealed class JobLeases(IStorageDatabase database) : IJobLeases
{
    private const string SelectSql = "SELECT job AS Job, holder AS Holder, expires_at AS ExpiresAt FROM job_leases WHERE job = @Job;";

    // Another holder's lease is taken only once it has lapsed; the holder's own is renewed whenever it asks.
    private const string TakeSql = """
        INSERT INTO job_leases AS l (job, holder, expires_at) VALUES (@Job, @Holder, @Until)
        ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at <= @Now
        RETURNING holder;
        """;

    public Task<JobLeaseAttempt> TryTakeAsync(
        string job, string holder, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // Read only to name the holder taken over from; the upsert alone decides who gets the lease.
            var before = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
                SelectSql, new { Job = job }, transaction, cancellationToken: cancellationToken));
            var taken = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                TakeSql, new { Job = job, Holder = holder, Now = UnixMs.From(now), Until = UnixMs.From(now + lifetime) }, transaction,
                cancellationToken: cancellationToken)) is not null;
            // A lease given up between the two statements was not lapsed, though it is taken.
            var lapsed = before is not null && before.Holder != holder && before.ExpiresAt <= UnixMs.From(now);
            return new JobLeaseAttempt(taken, taken && lapsed ? before!.Holder : null);
        }, WriteLane.Waiting, cancellationToken);

    public Task ReleaseAsync(string job, string holder, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM job_leases WHERE job = @Job AND holder = @Holder;", new { Job = job, Holder = holder }, transaction,
            cancellationToken: cancellationToken)), WriteLane.Waiting, cancellationToken);

    public async Task<JobLease?> GetAsync(string job, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(SelectSql, new { Job = job }, cancellationToken: cancellationToken));
        return row is null ? null : new JobLease(row.Job, row.Holder, UnixMs.To(row.ExpiresAt));
    }

    private sealed class LeaseRow
    {
        public string Job { get; set; } = "";
        public string Holder { get; set; } = "";
        public long ExpiresAt { get; set; }
    }
}
