using System.ComponentModel;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using Npgsql;

namespace IncidentBot.Storage.Postgres;

/// <summary>What is wrong with a PostgreSQL connection string, or why the server could not be used, in words an operator can act on.</summary>
internal static partial class PostgresConnectionProblem
{
    private const string Form = "Host=<server>;Port=5432;Database=incidentbot;Username=<user>;Password=<password>";

    /// <returns>Null when Npgsql can read <paramref name="connectionString"/>; otherwise what is wrong and how it is written.</returns>
    public static string? Find(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return $"Storage:ConnectionString is required with Storage:Provider 'postgres': write {Form}.";
        }

        if (!connectionString.Contains('='))
        {
            return $"Storage:ConnectionString '{connectionString.Trim()}' is not a PostgreSQL connection string: write {Form}.";
        }

        try
        {
            return string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host)
                ? $"Storage:ConnectionString names no Host for PostgreSQL. Write {Form}."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"Storage:ConnectionString is not a PostgreSQL connection string: {KeyProblem(e)} Write {Form}.";
        }
    }

    /// <param name="exception">What opening a connection or upgrading the schema threw.</param>
    public static string Describe(NpgsqlConnectionStringBuilder connection, NpgsqlException exception)
    {
        var server = PostgresDatabase.ServerOf(connection);
        var database = $"{server}/{connection.Database}";
        return exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"the PostgreSQL server {server} has no database '{connection.Database}': create it (CREATE DATABASE {connection.Database}) " +
                "or name another in Database= of Storage:ConnectionString.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } refused =>
                $"the PostgreSQL server {server} refused user '{connection.Username}' ({refused.MessageText}): " +
                "fix Username= and Password= in Storage:ConnectionString.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied =>
                $"user '{connection.Username}' may not create IncidentBot's tables in {database} ({denied.MessageText}): " +
                "grant it CREATE on the database's schema, or use its owner in Storage:ConnectionString.",
            PostgresException said => $"the PostgreSQL database {database} cannot be used: {said.SqlState}: {said.MessageText}.",
            _ when Unreachable(connection, exception) is { } why =>
                $"could not reach the PostgreSQL server {server} ({why}): check Host= and Port= in Storage:ConnectionString and that the server is running.",
            _ => $"the PostgreSQL database {database} cannot be opened ({exception.Message}): check Storage:ConnectionString and that the server is running.",
        };
    }

    private static string? Unreachable(NpgsqlConnectionStringBuilder connection, Exception exception)
    {
        for (var cause = exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused: nothing listens there",
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "no such host name",
                        SocketError.TimedOut => "no answer",
                        _ when connection.Host?.StartsWith('/') == true => $"no socket .s.PGSQL.{connection.Port} in that folder",
                        _ => socket.Message,
                    };
                case TimeoutException:
                    return "no answer within the connection timeout";
            }
        }

        return null;
    }

    private static string KeyProblem(ArgumentException exception)
    {
        if (UnsetKey().Match(exception.Message) is not { Success: true } match)
        {
            return exception.Message.TrimEnd('.') + ".";
        }

        var keyword = match.Groups["keyword"].Value;
        var known = Keys.Value;
        if (known.Contains(keyword, StringComparer.OrdinalIgnoreCase))
        {
            return $"the value of '{keyword}' is not valid{(exception.InnerException is { } cause ? $" ({cause.Message.TrimEnd('.')})" : "")}.";
        }

        return $"'{keyword}' is not a setting PostgreSQL connections have" +
               (Spelling.Closest(keyword, known) is { } meant ? $": did you mean '{meant}'?" : ".");
    }

    /// <summary>The settings as Npgsql's documentation writes them (Host, Port, Database, Username, …).</summary>
    private static readonly Lazy<string[]> Keys = new(() =>
        [.. typeof(NpgsqlConnectionStringBuilder).GetProperties().Select(p => p.GetCustomAttribute<DisplayNameAttribute>()?.DisplayName).OfType<string>()]);

    // Npgsql: "Couldn't set usernme (Parameter 'usernme')"
    [GeneratedRegex(@"^Couldn't set (?<keyword>.+?) \(Parameter")]
    private static partial Regex UnsetKey();
}
