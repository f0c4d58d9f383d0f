using IncidentBot.Configuration;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Every storage port on the configured provider, in one place: the incidents' write and read sides, search,
    /// embeddings, the Slack channel progress, the DORA outbox and the Slack transport's durable inbox.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        var services = builder.Services;
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        services.AddSingleton<IIncidentReader, SqliteIncidentReader>();
        services.AddSingleton<IIncidentSearch, SqliteIncidentSearch>();
        services.AddSingleton<IIncidentEmbeddingStore, SqliteIncidentEmbeddingStore>();
        services.AddSingleton<ISlackSyncStore, SqliteSlackSyncStore>();
        services.AddSingleton<IReminderStore, SqliteReminderStore>();
        services.AddSingleton<IDoraOutbox, SqliteDoraOutbox>();
        // Replaces the transport's in-memory inbox, whichever is registered first.
        services.AddSingleton<ISlackInboxStore, SqliteSlackInboxStore>();
        services.AddHostedService<StorageInitializer>();
        return builder;
    }
}

/// <summary>
/// Creates or upgrades the database before the host starts taking requests. The writer loop ends when the host
/// disposes <see cref="SqliteDatabase"/>, after everything that writes has stopped, and commits what is still queued.
/// </summary>
internal sealed class StorageInitializer(SqliteDatabase database, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (from, to) = await database.MigrateAsync(cancellationToken);
        if (from == to)
        {
            logger.LogInformation("Storage: SQLite {File}, schema version {Version}", database.DataSource, to);
        }
        else
        {
            logger.LogInformation("Storage: SQLite {File}, schema upgraded from version {From} to {To}", database.DataSource, from, to);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
