using IncidentBot.Assistant;
using IncidentBot.Slack.Models;
using Microsoft.AspNetCore.Html;

namespace IncidentBot.Dashboard;

/// <summary>
/// The people of one page by the names Slack shows them under (their id while the name is not known), and the
/// page's Slack texts as HTML: mentions as names and links as links, as <see cref="AnswerRenderer"/> says them outside Slack.
/// </summary>
public sealed class PageNames
{
    private readonly IReadOnlyDictionary<string, string?> names;
    private readonly Func<string, string> say;

    private PageNames(IReadOnlyDictionary<string, string?> names, Func<string, string> say)
    {
        this.names = names;
        this.say = say;
    }

    /// <summary>A page without people or texts, as before it is loaded.</summary>
    public static PageNames None { get; } = new(new Dictionary<string, string?>(), text => text);

    /// <summary>Looks up each of <paramref name="people"/> (Slack user ids) and everyone <paramref name="texts"/> mention once.</summary>
    public static async Task<PageNames> LoadAsync(
        IPersonNames lookup, AnswerRenderer renderer, IEnumerable<string?> people, IEnumerable<string?> texts, CancellationToken cancellationToken)
    {
        var ids = people.Where(SlackUserId.IsValid).Select(id => id!).Distinct().ToList();
        var known = await Task.WhenAll(ids.Select(id => lookup.NameAsync(SlackUserId.Parse(id), cancellationToken)));
        var say = await renderer.ForAsync(AnswerTarget.Markdown, texts, cancellationToken);
        return new PageNames(ids.Zip(known).ToDictionary(pair => pair.First, pair => pair.Second), say);
    }

    public string Person(string? userId) => string.IsNullOrWhiteSpace(userId) ? "none" : names.GetValueOrDefault(userId) ?? userId;

    public IHtmlContent Text(string text) => DashboardMarkdown.MessageToHtml(say(text));

    /// <summary>A line of an answer (a summary's, a related incident's reason), said inside the sentence it is part of.</summary>
    public IHtmlContent Line(string text) => DashboardMarkdown.LineToHtml(say(text));
}

/// <summary>An answer of the assistant and the names to say its lines with.</summary>
public sealed record Said<TAnswer>(TAnswer Answer, PageNames Names);
