using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace IncidentBot.Slack.Models;

/// <summary>
/// A Slack user id: <c>U…</c>, or <c>W…</c> for users of an Enterprise Grid, then upper-case letters and digits
/// (<c>U012AB3CD</c>). Slack does not promise a length, so none is assumed. In message text a user appears as the
/// mention <c>&lt;@U012AB3CD&gt;</c>, or <c>&lt;@U012AB3CD|alice&gt;</c> where the command escapes names.
/// </summary>
public readonly record struct SlackUserId
{
    private static readonly SearchValues<char> IdCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private readonly string? value;

    private SlackUserId(string value) => this.value = value;

    public string Value => value ?? "";

    /// <summary>How the user is mentioned in mrkdwn: <c>&lt;@U012AB3CD&gt;</c>; Slack shows their current name.</summary>
    public string Mention => $"<@{Value}>";

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is { Length: >= 2 } && id[0] is 'U' or 'W' && !id.AsSpan(1).ContainsAnyExcept(IdCharacters);

    public static bool TryParse([NotNullWhen(true)] string? id, out SlackUserId userId)
    {
        userId = IsValid(id) ? new SlackUserId(id) : default;
        return userId.value is not null;
    }

    public static SlackUserId Parse(string id) =>
        TryParse(id, out var userId) ? userId : throw new FormatException($"'{id}' is not a Slack user id (U… or W…).");

    /// <summary>Whether the whole text is one mention, <c>&lt;@U123&gt;</c> or <c>&lt;@U123|name&gt;</c>, and whose.</summary>
    public static bool TryParseMention([NotNullWhen(true)] string? text, out SlackUserId userId)
    {
        userId = default;
        if (text is null || !text.StartsWith("<@", StringComparison.Ordinal) || !text.EndsWith('>'))
        {
            return false;
        }

        var inside = text.AsSpan(2, text.Length - 3);
        var bar = inside.IndexOf('|');
        var id = bar < 0 ? inside : inside[..bar];
        if (bar >= 0 && inside[(bar + 1)..].Contains('>'))
        {
            return false;
        }

        return TryParse(id.ToString(), out userId);
    }

    public override string ToString() => Value;
}
