using IncidentBot.Configuration;
using IncidentBot.Hosting;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Every storage port on the configured provider, in one place: the incidents' write and read sides, search,
    /// embeddings, the Slack channel progress, leases on per-incident work and on cluster-wide jobs, the DORA outbox and the Slack transport's durable
    /// inbox.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        var provider = builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"];
        if (StorageOptions.IsPostgres(provider))
        {
            AddPostgres(builder.Services);
        }
        else
        {
            AddSqlite(builder.Services);
        }

        // The same SQL on both providers, on the provider's IStorageDatabase.
        builder.Services.AddSingleton<ISlackSyncStore, SlackSyncStore>();
        builder.Services.AddSingleton<IReminderStore, ReminderStore>();
        builder.Services.AddSingleton<IDoraOutbox, DoraOutbox>();
        builder.Services.AddSingleton<IJobLeases, JobLeases>();
        return builder;
    }

    private static void AddSqlite(IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddSingleton<IStorageDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        AddReadSide<SqliteIncidentReader, SqliteIncidentSearch>(services);
        services.AddSingleton<IIncidentEmbeddingStore, SqliteIncidentEmbeddingStore>();
        services.AddSingleton<IIncidentLeases, LocalIncidentLeases>();
        // Replaces the transport's in-memory inbox, whichever is registered first.
        services.AddSingleton<ISlackInboxStore, SqliteSlackInboxStore>();
        // The writer loop ends when the host disposes SqliteDatabase, after everything that writes has stopped,
        // and commits what is still queued.
        services.AddHostedService(sp =>
        {
            var database = sp.GetRequiredService<SqliteDatabase>();
            return new StorageInitializer($"SQLite {database.DataSource}", async cancellationToken =>
            {
                try
                {
                    return await database.MigrateAsync(cancellationToken);
                }
                catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
                {
                    throw new StartupException(SqliteFileProblem.Describe(database.DataSource, e), e);
                }
            }, sp.GetRequiredService<ILogger<StorageInitializer>>());
        });
    }

    /// <summary>The provider's reader and search, each seen by the audience of the work under way (<see cref="AudienceReader"/>).</summary>
    private static void AddReadSide<TReader, TSearch>(IServiceCollection services)
        where TReader : class, IIncidentReader
        where TSearch : class, IIncidentSearch
    {
        services.AddSingleton<TReader>();
        services.AddSingleton<TSearch>();
        services.AddSingleton<IIncidentReader>(sp => new AudienceReader(sp.GetRequiredService<TReader>()));
        services.AddSingleton<IIncidentSearch>(sp => new AudienceSearch(sp.GetRequiredService<TSearch>()));
    }

    private static void AddPostgres(IServiceCollection services)
    {
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        services.AddSingleton<IStorageDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        services.AddSingleton<IIncidentStore, PostgresIncidentStore>();
        AddReadSide<PostgresIncidentReader, PostgresIncidentSearch>(services);
        services.AddSingleton<IIncidentEmbeddingStore, PostgresIncidentEmbeddingStore>();
        services.AddSingleton<IIncidentLeases, PostgresIncidentLeases>();
        services.AddSingleton<ISlackInboxStore, PostgresSlackInboxStore>();
        services.AddHostedService(sp =>
        {
            var database = sp.GetRequiredService<PostgresDatabase>();
            return new StorageInitializer($"PostgreSQL {database.Description}", async cancellationToken =>
            {
                try
                {
                    return await database.MigrateAsync(cancellationToken);
                }
                catch (NpgsqlException e)
                {
                    throw new StartupException(PostgresConnectionProblem.Describe(database.Connection, e), e);
                }
            }, sp.GetRequiredService<ILogger<StorageInitializer>>());
        });
    }
}

/// <summary>Creates or upgrades the database before the host starts taking requests.</summary>
internal sealed class StorageInitializer(
    string database, Func<CancellationToken, Task<(int From, int To)>> migrate, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (from, to) = await MigrateAsync(cancellationToken);
        if (from == to)
        {
            // The start line says where the storage is; only an upgrade is news.
            logger.LogDebug("Storage: {Database}, schema version {Version}", database, to);
        }
        else
        {
            logger.LogInformation("Storage: {Database}, schema upgraded from version {From} to {To}", database, from, to);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await migrate(cancellationToken);
        }
        catch (NewerSchemaException e)
        {
            throw new StartupException(e.Message, e);
        }
    }
}
