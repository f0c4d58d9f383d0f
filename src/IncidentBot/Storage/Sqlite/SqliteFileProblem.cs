using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>Why SQLite could not open or create its file, in words an operator can act on.</summary>
internal static class SqliteFileProblem
{
    private const int NotADatabase = 26;
    private const string Fix = "Fix that, or set Storage:ConnectionString to Data Source=<a file in a writable folder>.";

    /// <param name="exception">What opening it threw: a <see cref="SqliteException"/>, or an I/O error creating its folder.</param>
    public static string Describe(string path, Exception exception) =>
        $"cannot open the database {path}: {Why(path, exception)}. {Fix}";

    private static string Why(string path, Exception exception)
    {
        var folder = Path.GetDirectoryName(path) ?? ".";
        if (Directory.Exists(path))
        {
            return "that is a folder, not a file";
        }

        if (!Directory.Exists(folder))
        {
            return File.Exists(folder) ? $"{folder} is a file, not a folder" : $"the folder {folder} cannot be created ({exception.Message.TrimEnd('.')})";
        }

        if (exception is SqliteException { SqliteErrorCode: NotADatabase })
        {
            return "the file is not a SQLite database";
        }

        return CannotWrite(path, folder) ?? $"SQLite says: {exception.Message}";
    }

    /// <summary>SQLite writes the file and, in WAL mode, a -wal and a -shm file beside it.</summary>
    private static string? CannotWrite(string path, string folder)
    {
        var probe = Path.Combine(folder, $".incidentbot-{Guid.NewGuid():N}");
        try
        {
            if (File.Exists(path))
            {
                using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
                {
                }
            }

            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var cause = e switch
            {
                UnauthorizedAccessException => $"permission denied to user {Environment.UserName}",
                FileNotFoundException or DirectoryNotFoundException => "no file can be created there",
                _ => e.Message.Replace(probe, folder, StringComparison.Ordinal),
            };
            return File.Exists(path) ? $"the file cannot be written ({cause})" : $"the folder {folder} is not writable ({cause})";
        }
    }
}
