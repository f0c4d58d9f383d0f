using Microsoft.Data.Sqlite;

namespace IncidentBot.Tests.Support;

/// <summary>A SQLite file in a fresh temporary folder, removed with its WAL files afterwards.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));

    public TemporaryDatabase()
    {
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, "incidentbot.db");
    }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection of another test may still hold the file for a moment; the OS temp cleaner gets it.
        }
    }
}
