using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage.Postgres;

/// <summary>Incident embeddings in <c>incident_embeddings</c> (schema step 2), vectors as <c>real[]</c>.</summary>
public sealed class PostgresIncidentEmbeddingStore(PostgresDatabase database) : IIncidentEmbeddingStore
{
    public async Task<IReadOnlyDictionary<long, IncidentEmbedding>> GetAsync(
        string model, IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default)
    {
        if (numbers.Count == 0)
        {
            return new Dictionary<long, IncidentEmbedding>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long IncidentNumber, string TextHash, float[] Vector)>(new CommandDefinition("""
            SELECT incident_number, text_hash, vector FROM incident_embeddings
            WHERE model = @Model AND incident_number = ANY(@Numbers);
            """, new { Model = model, Numbers = numbers.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.IncidentNumber, r => new IncidentEmbedding(r.IncidentNumber, r.TextHash, r.Vector));
    }

    public Task SaveAsync(string model, IReadOnlyList<IncidentEmbedding> embeddings, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        embeddings.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO incident_embeddings (incident_number, model, text_hash, vector, created_at)
                VALUES (@Number, @Model, @TextHash, @Vector, @CreatedAt)
                ON CONFLICT (incident_number, model) DO UPDATE SET
                    text_hash = excluded.text_hash, vector = excluded.vector, created_at = excluded.created_at;
                """,
                embeddings.Select(embedding => new
                {
                    Number = embedding.IncidentNumber,
                    Model = model,
                    embedding.TextHash,
                    Vector = embedding.Vector.ToArray(),
                    CreatedAt = UnixMs.From(createdAt),
                }),
                transaction,
                cancellationToken: cancellationToken)), cancellationToken);
}
