using Microsoft.Extensions.Time.Testing;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Postmortem;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Assistant;

public sealed class PostmortemTemplateTests
{
    [Fact]
    public void TheDefaultTemplateHasTheSevenSectionsAndUsesOnlyKnownVariables()
    {
        foreach (var section in new[] { "Summary", "Impact", "Timeline", "Root cause", "Resolution", "Action items", "Lessons learned" })
        {
            Assert.Contains($"## {section}", PostmortemTemplate.Default);
        }

        var used = System.Text.RegularExpressions.Regex.Matches(PostmortemTemplate.Default, @"\{\{(\w+)\}\}").Select(m => m.Groups[1].Value);
        Assert.All(used, variable => Assert.Contains(variable, PostmortemTemplate.Variables));
    }

    [Fact]
    public void AnOperatorTemplateWithoutTheNoticeStillGetsItAndUnknownVariablesStay()
    {
        var text = PostmortemTemplate.Render("# {{reference}}\n{{ TITLE }} {{nonsense}}", new Dictionary<string, string>
        {
            ["draft_notice"] = "> DRAFT",
            ["reference"] = "INC-1",
            ["title"] = "Down",
        });

        Assert.Equal("> DRAFT\n\n# INC-1\nDown {{nonsense}}", text);
    }

    [Fact]
    public async Task AnOperatorsTemplateFileReplacesTheDefault()
    {
        using var database = new TemporaryDatabase();
        var template = Path.Combine(Path.GetDirectoryName(database.FilePath)!, "postmortem.md");
        await File.WriteAllTextAsync(template, "{{draft_notice}}\n# Incident review {{reference}}\n## What broke\n{{root_cause}}\n");
        await using var bot = await TestBot.StartAsync(
            database.ConnectionString, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)), new Dictionary<string, string?> { ["Assistant:PostmortemTemplatePath"] = template });
        var incidents = bot.App.Services.GetRequiredService<IncidentService>();
        var incident = await incidents.DeclareAsync(new IncidentDraft { Title = "Disk full", DeclaredBy = "U1" });
        for (var i = 0; i < 15; i++)
        {
            await incidents.PostAsync(incident.Number, TimelineEntryKind.Update, i == 7 ? "Root cause: log rotation was disabled" : $"update {i}", "U1");
        }

        await incidents.EditAsync(incident.Number, new IncidentEdit { Status = IncidentStatus.Resolved }, "U1");

        var answer = await bot.App.Services.GetRequiredService<IncidentAssistant>().DraftPostmortemAsync(incident.Number, "U1");

        Assert.StartsWith("> **DRAFT for humans to revise.**", answer.Draft!.Markdown);
        Assert.Contains("# Incident review INC-1\n## What broke\n- ", answer.Draft.Markdown);
        Assert.Contains("log rotation was disabled", answer.Draft.Markdown);
        Assert.DoesNotContain("## Lessons learned", answer.Draft.Markdown);
    }

    [Fact]
    public void AMissingTemplateFileStopsStartUpNamingTheKey()
    {
        using var database = new TemporaryDatabase();
        var app = IncidentBotApp.Build(
            new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory },
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = database.ConnectionString,
                ["Assistant:PostmortemTemplatePath"] = "/nowhere/postmortem.md",
            }));

        Assert.Equal("Assistant:PostmortemTemplatePath names no readable file: '/nowhere/postmortem.md'.", app.FindConfigurationError());
    }
}
