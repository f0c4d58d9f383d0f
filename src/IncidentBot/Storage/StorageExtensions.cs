using IncidentBot.Configuration;
using IncidentBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        builder.Services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        builder.Services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        builder.Services.AddHostedService<StorageInitializer>();
        return builder;
    }
}

/// <summary>Creates or upgrades the database before the host starts taking requests.</summary>
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
