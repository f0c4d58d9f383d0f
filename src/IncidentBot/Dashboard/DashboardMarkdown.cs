using Markdig;
using Markdig.Renderers;
using Microsoft.AspNetCore.Html;

namespace IncidentBot.Dashboard;

/// <summary>
/// Markdown as HTML: postmortem drafts, and timeline texts once <see cref="PageNames"/> has said their Slack markup in
/// Markdown. Raw HTML is shown as text and only web and mail links stay links: both quote what people wrote in Slack.
/// </summary>
public static class DashboardMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().DisableHtml().Build();

    // A Slack message breaks its lines where the person did.
    private static readonly MarkdownPipeline MessagePipeline = new MarkdownPipelineBuilder().UseAutoLinks().UseSoftlineBreakAsHardlineBreak().DisableHtml().Build();

    private static readonly string[] LinkSchemes = ["http:", "https:", "mailto:"];

    public static IHtmlContent ToHtml(string markdown) => Render(markdown, Pipeline);

    /// <summary>One message's text, lines kept as written.</summary>
    public static IHtmlContent MessageToHtml(string markdown) => Render(markdown, MessagePipeline);

    /// <summary>A line of an answer, inside a sentence or a list item: no paragraph of its own.</summary>
    public static IHtmlContent LineToHtml(string markdown) => Render(markdown, MessagePipeline, inline: true);

    private static HtmlString Render(string markdown, MarkdownPipeline pipeline, bool inline = false)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer) { LinkRewriter = SafeLink, ImplicitParagraph = inline };
        pipeline.Setup(renderer);
        renderer.Render(Markdown.Parse(markdown, pipeline));
        return new HtmlString(writer.ToString().Trim());
    }

    /// <summary>A link elsewhere than the web or mail (javascript:, data:) leads nowhere.</summary>
    private static string SafeLink(string url) =>
        !url.Contains(':', StringComparison.Ordinal) || LinkSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) ? url : "#";
}
