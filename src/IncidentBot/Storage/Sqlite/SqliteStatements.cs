using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// Statements prepared once per connection and reused. The writer keeps one connection for its lifetime, so the
/// statements every write runs (a Slack event accepted, a message stored, a savepoint, the search indexing before each
/// commit) are compiled once: preparing a statement costs about as much as running it.
/// </summary>
internal static class SqliteStatements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = new();

    /// <summary>The connection's command for <paramref name="sql"/>, with no parameters bound yet.</summary>
    /// <remarks>A connection serves one caller at a time, and so does its cache.</remarks>
    public static SqliteCommand Statement(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var statements = Prepared.GetOrCreateValue(connection);
        if (!statements.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Drops the prepared statements of a connection that is being closed.</summary>
    public static void Forget(SqliteConnection connection)
    {
        if (Prepared.TryGetValue(connection, out var statements))
        {
            foreach (var command in statements.Values)
            {
                command.Dispose();
            }

            Prepared.Remove(connection);
        }
    }
}
