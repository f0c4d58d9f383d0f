using Markdig;
using Microsoft.AspNetCore.Html;

namespace IncidentBot.Dashboard;

/// <summary>Postmortem drafts as HTML. Raw HTML in a draft is shown as text: drafts quote what people wrote in Slack.</summary>
public static class DashboardMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().DisableHtml().Build();

    public static IHtmlContent ToHtml(string markdown) => new HtmlString(Markdown.ToHtml(markdown, Pipeline));
}
