using System.Globalization;
using Npgsql;

namespace IncidentBot.Bench;

/// <summary>
/// The PostgreSQL server a replica run uses: a fresh database for each configuration, dropped afterwards, and the CPU
/// time of the whole cluster (the postmaster and every backend, walwriter and checkpointer under it) when its data
/// folder is known.
/// </summary>
public sealed class PostgresServer(string serverConnectionString, string? dataFolder)
{
    // /proc/<pid>/stat counts in USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>Whether <see cref="CpuTime"/> covers the server; without its data folder it is zero.</summary>
    public bool MeasuresCpu => PostmasterId() is not null;

    /// <returns>The connection string of the new, empty database.</returns>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"CREATE DATABASE {name};", cancellationToken);
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database this run created, ending whatever sessions are still in it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", cancellationToken);

    /// <summary>User and system CPU time of the whole cluster so far: the postmaster, its live children and those that ended.</summary>
    public TimeSpan CpuTime()
    {
        if (PostmasterId() is not { } postmaster)
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || ReadStat(pid) is not { } stat)
            {
                continue;
            }

            if (pid == postmaster)
            {
                // Children that ended were reaped by the postmaster: their time is in its cutime and cstime.
                ticks += stat.UserTicks + stat.SystemTicks + stat.ChildUserTicks + stat.ChildSystemTicks;
            }
            else if (stat.ParentId == postmaster)
            {
                ticks += stat.UserTicks + stat.SystemTicks;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private int? PostmasterId()
    {
        var pidFile = dataFolder is null ? null : Path.Combine(dataFolder, "postmaster.pid");
        return pidFile is not null && File.Exists(pidFile)
               && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }

    private sealed record ProcessStat(int ParentId, long UserTicks, long SystemTicks, long ChildUserTicks, long ChildSystemTicks);

    private static ProcessStat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces, so the fields are counted from after its ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false };
        if (string.IsNullOrEmpty(builder.Database))
        {
            builder.Database = "postgres";
        }

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
