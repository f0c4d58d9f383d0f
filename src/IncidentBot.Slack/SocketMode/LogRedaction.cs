using System.Text.RegularExpressions;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Keeps credentials out of log lines built from exception messages: the single-use ticket in a
/// Socket Mode URL lets anyone take the connection, and an app-level token opens new ones.
/// </summary>
internal static partial class LogRedaction
{
    public static string Scrub(string text) => Token().Replace(Ticket().Replace(text, "ticket=…"), "xapp-…");

    [GeneratedRegex(@"ticket=[^&\s'""]*", RegexOptions.IgnoreCase)]
    private static partial Regex Ticket();

    [GeneratedRegex(@"xapp-[^\s'""&]*")]
    private static partial Regex Token();
}
