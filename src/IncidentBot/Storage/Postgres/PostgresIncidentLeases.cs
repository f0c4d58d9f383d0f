using Dapper;
using Npgsql;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// Leases as PostgreSQL session advisory locks (<c>pg_try_advisory_lock</c>, one key per work and incident), each on a
/// connection of its own for as long as it is held: a replica that dies loses its connection, and with it the lock, at once.
/// </summary>
public sealed class PostgresIncidentLeases(PostgresDatabase database) : IIncidentLeases
{
    public async Task<IAsyncDisposable?> TryTakeAsync(IncidentWork work, long number, CancellationToken cancellationToken = default)
    {
        var key = new { Key = database.LockKey($"{work} of incident {number}") };
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@Key);", key, cancellationToken: cancellationToken)))
            {
                return new Lease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class Lease(NpgsqlConnection connection, object key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key);", key);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and the lock with it.
            }

            await connection.DisposeAsync();
        }
    }
}
