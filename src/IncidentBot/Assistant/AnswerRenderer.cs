using IncidentBot.Slack.Models;

namespace IncidentBot.Assistant;

/// <summary>Where an answer is shown.</summary>
public enum AnswerTarget
{
    /// <summary>A Slack message: Slack shows people, channels and links from its own markup.</summary>
    Slack,

    /// <summary>Anywhere else (the REST API): plain Markdown, people by name.</summary>
    Markdown,
}

/// <summary>
/// Says an answer for where it goes. Answers are written once, in Markdown with Slack's markup inside, because the
/// timelines they quote are written so (<c>&lt;@U123&gt;</c>, <c>&lt;https://…|label&gt;</c>, <c>&lt;#C123|ops&gt;</c>)
/// and so are the model's answers: in Slack that markup stays, outside it becomes names and Markdown links.
/// </summary>
public sealed class AnswerRenderer(IPersonNames names)
{
    // Slack refuses message text over 40,000 characters.
    private const int MaxSlackText = 39_000;

    /// <summary>The answer's text; in Slack with the note that a model failed, which elsewhere has a field of its own.</summary>
    public async Task<string> RenderAsync(AssistantAnswer answer, AnswerTarget target, CancellationToken cancellationToken = default)
    {
        if (target == AnswerTarget.Slack)
        {
            return Truncate(answer.FallbackReason is { } reason ? $"{answer.Text}\n_{reason}_" : answer.Text);
        }

        var say = await ForAsync(target, [answer.Text], cancellationToken);
        return say(answer.Text);
    }

    /// <summary>Says each of <paramref name="texts"/> (the parts of one answer) for the target, the people they mention looked up once.</summary>
    public async Task<Func<string, string>> ForAsync(AnswerTarget target, IEnumerable<string?> texts, CancellationToken cancellationToken = default)
    {
        if (target == AnswerTarget.Slack)
        {
            return text => text;
        }

        var people = texts.SelectMany(text => SlackMarkup.UserMentions(text)).Distinct().ToList();
        var known = await Task.WhenAll(people.Select(person => names.NameAsync(person, cancellationToken)));
        var byId = people.Zip(known).ToDictionary(pair => pair.First, pair => pair.Second);
        return text => SlackMarkup.Unescape(SlackMarkup.Replace(text, entity => Plain(entity, byId)));
    }

    private static string Plain(SlackEntity entity, IReadOnlyDictionary<SlackUserId, string?> names) => entity switch
    {
        SlackUserMention mention => names.GetValueOrDefault(mention.User) ?? mention.Label ?? $"@{mention.User.Value}",
        SlackChannelMention channel => $"#{channel.Label ?? channel.ChannelId}",
        SlackLink { Label: { } label } link => $"[{label}]({link.Url})",
        SlackLink link => link.Url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? link.Url["mailto:".Length..] : link.Url,
        SlackSpecialMention special => special.Label ?? $"@{special.Name}",
        _ => entity.Markup,
    };

    private static string Truncate(string text) => text.Length <= MaxSlackText ? text : text[..(MaxSlackText - 1)] + "…";
}

/// <summary>People's names as the workspace shows them, for answers read outside Slack.</summary>
public interface IPersonNames
{
    /// <returns>The person's display name, else their real name; null when they are not known.</returns>
    Task<string?> NameAsync(SlackUserId person, CancellationToken cancellationToken = default);
}

/// <summary>Without Slack nobody's name is known: answers name people by their id.</summary>
internal sealed class NoPersonNames : IPersonNames
{
    public Task<string?> NameAsync(SlackUserId person, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
