using System.Text;
using System.Text.RegularExpressions;

namespace IncidentBot.Slack.Models;

/// <summary>
/// Slack's markup in message text: what arrives in <c>&lt;…&gt;</c> (people, channels, <c>&lt;!here&gt;</c>, links) and the
/// three characters mrkdwn reserves. Incoming text is escaped by Slack; what the bot writes must be escaped by the bot.
/// </summary>
public static partial class SlackMarkup
{
    /// <summary>
    /// A user mention as a regular-expression fragment, for grammars that read mentions inside longer sentences;
    /// the id is in the group <c>user</c>. Same rule as <see cref="SlackUserId"/>.
    /// </summary>
    public const string UserMentionPattern = @"<@(?<user>[UW][A-Z0-9]+)(?:\|[^<>]*)?>";

    /// <summary>Every piece of markup in the text, in order. A <c>&lt;@…&gt;</c> without a valid user id is not one.</summary>
    public static IReadOnlyList<SlackEntity> Parse(string? text)
    {
        var entities = new List<SlackEntity>();
        foreach (Match match in Angle().Matches(text ?? ""))
        {
            if (Entity(match) is { } entity)
            {
                entities.Add(entity);
            }
        }

        return entities;
    }

    /// <summary>The people mentioned, in order of appearance, once per mention.</summary>
    public static IReadOnlyList<SlackUserId> UserMentions(string? text) =>
        [.. Parse(text).OfType<SlackUserMention>().Select(mention => mention.User)];

    /// <summary>The text with each piece of markup replaced; the text between them stays as it is.</summary>
    public static string Replace(string text, Func<SlackEntity, string> replacement)
    {
        var result = new StringBuilder(text.Length);
        var end = 0;
        foreach (var entity in Parse(text))
        {
            result.Append(text, end, entity.Index - end).Append(replacement(entity));
            end = entity.Index + entity.Markup.Length;
        }

        return result.Append(text, end, text.Length - end).ToString();
    }

    /// <summary>
    /// Text that is shown as written: <c>&amp; &lt; &gt;</c> become entities, so nothing in it turns into a link or a
    /// mention. Only these three: anything else encoded would be shown encoded.
    /// </summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The text as the person typed it, from the escaped form Slack sends.</summary>
    public static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static SlackEntity? Entity(Match match)
    {
        var target = match.Groups["target"].Value;
        var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
        return target switch
        {
            ['@', .. var id] => SlackUserId.TryParse(id, out var user) ? new SlackUserMention(user, match.Value, match.Index, label) : null,
            ['#', .. var id] when id.Length > 0 => new SlackChannelMention(id, match.Value, match.Index, label),
            ['!', .. var name] when name.Length > 0 => new SlackSpecialMention(name, match.Value, match.Index, label),
            [not ('@' or '#' or '!'), ..] => new SlackLink(target, match.Value, match.Index, label),
            _ => null,
        };
    }

    [GeneratedRegex(@"<(?<target>[^<>|]*)(?:\|(?<label>[^<>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex Angle();
}

/// <summary>One piece of markup: its text as it stands (<see cref="Markup"/>) at <see cref="Index"/>, and the label after <c>|</c>, if any.</summary>
public abstract record SlackEntity(string Markup, int Index, string? Label);

/// <summary><c>&lt;@U123&gt;</c> or <c>&lt;@U123|alice&gt;</c>.</summary>
public sealed record SlackUserMention(SlackUserId User, string Markup, int Index, string? Label) : SlackEntity(Markup, Index, Label);

/// <summary><c>&lt;#C123&gt;</c> or <c>&lt;#C123|general&gt;</c>.</summary>
public sealed record SlackChannelMention(string ChannelId, string Markup, int Index, string? Label) : SlackEntity(Markup, Index, Label);

/// <summary><c>&lt;!here&gt;</c>, <c>&lt;!channel&gt;</c>, <c>&lt;!everyone&gt;</c>, <c>&lt;!subteam^S123|@team&gt;</c>, <c>&lt;!date^…|fallback&gt;</c>: <see cref="Name"/> is what follows the <c>!</c>.</summary>
public sealed record SlackSpecialMention(string Name, string Markup, int Index, string? Label) : SlackEntity(Markup, Index, Label);

/// <summary><c>&lt;https://example.com|label&gt;</c>, <c>&lt;mailto:a@example.com&gt;</c>: <see cref="Url"/> is as Slack sent it (still escaped).</summary>
public sealed record SlackLink(string Url, string Markup, int Index, string? Label) : SlackEntity(Markup, Index, Label);
