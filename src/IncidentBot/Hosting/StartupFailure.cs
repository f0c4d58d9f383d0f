using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Slack.Api;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

/// <summary>A start-up problem the part that found it has already put in words: the message is the operator's line.</summary>
public sealed class StartupException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// The one place that turns what stopped start-up into the line an operator reads: the cause and the fix, no
/// stack trace. Messages of the framework are read as they are written today; anything unforeseen is still
/// one line, with the messages of the exception and its causes.
/// </summary>
public static partial class StartupFailure
{
    public const string Prefix = "IncidentBot cannot start: ";

    private const string WhereAddressesAreSet = "the ASPNETCORE_URLS environment variable or the Urls setting";

    public static string Describe(Exception exception) => Prefix + OneLine(exception switch
    {
        StartupException known => known.Message,
        OptionsValidationException invalid => invalid.Failures.First(),
        _ when exception.Find<AddressInUseException>() is not null => PortInUse(exception),
        _ when exception.Find<SocketException>() is { SocketErrorCode: SocketError.AccessDenied } => PortNotAllowed(exception),
        FormatException when InvalidUrl().Match(exception.Message) is { Success: true } url =>
            $"'{url.Groups["url"].Value}' is not an address to listen on: write it as http://localhost:5080 or http://0.0.0.0:8080 " +
            $"(in --urls, {WhereAddressesAreSet}; several separated by ';').",
        InvalidDataException { InnerException: { } cause } when ConfigurationFile().Match(exception.Message) is { Success: true } file =>
            BrokenConfigurationFile(file.Groups["path"].Value, cause),
        _ => Chain(exception),
    });

    private static string PortInUse(Exception exception)
    {
        var address = BoundAddress(exception);
        var where = address is null ? "the port is in use" : $"port {address.Port} is in use ({address.ToString().TrimEnd('/')})";
        var other = address is null ? "http://localhost:5081" : new UriBuilder(address) { Port = address.Port + 1 }.Uri.ToString().TrimEnd('/');
        return $"{where}: stop what listens there or choose another address with --urls {other}, {WhereAddressesAreSet}.";
    }

    private static string PortNotAllowed(Exception exception) =>
        $"IncidentBot may not listen on {BoundAddress(exception)?.ToString().TrimEnd('/') ?? "that address"} (permission denied; ports below 1024 need privileges): " +
        $"choose another address with --urls http://localhost:5080, {WhereAddressesAreSet}.";

    private static Uri? BoundAddress(Exception exception) =>
        BindAddress().Match(exception.Message) is { Success: true } match && Uri.TryCreate(match.Groups["address"].Value, UriKind.Absolute, out var address)
            ? address
            : null;

    private static string BrokenConfigurationFile(string path, Exception cause) =>
        cause.Find<JsonException>() is { LineNumber: { } line } json
            ? $"{path} is not valid JSON: line {line + 1}, column {json.BytePositionInLine + 1}: {JsonDetail().Replace(json.Message, "").TrimEnd('.')}. Fix the file, or remove it to use the defaults."
            : $"{path} cannot be read: {Messages(cause)}";

    private static string Chain(Exception exception) => $"{exception.GetType().Name}: {Messages(exception)}";

    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!messages.Any(m => m.Contains(e.Message, StringComparison.Ordinal)))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" ← ", messages);
    }

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
    [GeneratedRegex(@"bind to address (?<address>\S+?)[:.]?(\s|$)")]
    private static partial Regex BindAddress();

    // Kestrel: "Invalid url: 'garbage'"
    [GeneratedRegex(@"^Invalid url: '(?<url>[^']*)'")]
    private static partial Regex InvalidUrl();

    // Microsoft.Extensions.Configuration: "Failed to load configuration from file '/app/appsettings.json'."
    [GeneratedRegex(@"from file '(?<path>[^']+)'")]
    private static partial Regex ConfigurationFile();

    // System.Text.Json appends where it stopped; the line says that in words already.
    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex JsonDetail();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
