using System.Runtime.InteropServices;
using Dapper;

namespace IncidentBot.Storage.Sqlite;

/// <summary>Incident embeddings in <c>incident_embeddings</c> (schema step 5), vectors as little-endian float32 BLOBs.</summary>
public sealed class SqliteIncidentEmbeddingStore(SqliteDatabase database) : IIncidentEmbeddingStore
{
    public async Task<IReadOnlyDictionary<long, IncidentEmbedding>> GetAsync(
        string model, IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default)
    {
        if (numbers.Count == 0)
        {
            return new Dictionary<long, IncidentEmbedding>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long IncidentNumber, string TextHash, byte[] Vector)>(new CommandDefinition("""
            SELECT incident_number, text_hash, vector FROM incident_embeddings
            WHERE model = @Model AND incident_number IN @Numbers;
            """, new { Model = model, Numbers = numbers.ToList() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.IncidentNumber, r => new IncidentEmbedding(r.IncidentNumber, r.TextHash, ToVector(r.Vector)));
    }

    public Task SaveAsync(string model, IReadOnlyList<IncidentEmbedding> embeddings, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        embeddings.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync(async (connection, transaction) =>
            {
                foreach (var embedding in embeddings)
                {
                    await connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO incident_embeddings (incident_number, model, text_hash, dimensions, vector, created_at)
                        VALUES (@Number, @Model, @TextHash, @Dimensions, @Vector, @CreatedAt)
                        ON CONFLICT (incident_number, model) DO UPDATE SET
                            text_hash = excluded.text_hash, dimensions = excluded.dimensions,
                            vector = excluded.vector, created_at = excluded.created_at;
                        """,
                        new
                        {
                            Number = embedding.IncidentNumber,
                            Model = model,
                            embedding.TextHash,
                            Dimensions = embedding.Vector.Length,
                            Vector = ToBytes(embedding.Vector),
                            CreatedAt = UnixMs.From(createdAt),
                        },
                        transaction,
                        cancellationToken: cancellationToken));
                }

                return true;
            }, cancellationToken);

    private static byte[] ToBytes(ReadOnlyMemory<float> vector) =>
        BitConverter.IsLittleEndian
            ? MemoryMarshal.AsBytes(vector.Span).ToArray()
            : throw new PlatformNotSupportedException("Embeddings are stored little-endian.");

    private static float[] ToVector(byte[] bytes) =>
        BitConverter.IsLittleEndian
            ? MemoryMarshal.Cast<byte, float>(bytes).ToArray()
            : throw new PlatformNotSupportedException("Embeddings are stored little-endian.");
}
