using IncidentBot.Assistant;

namespace IncidentBot.Tests.Assistant;

/// <summary>What a summary lists, on <see cref="QuestionWorld"/>'s DDoS (INC-8) and checkout (INC-4) timelines.</summary>
public sealed class SummaryContentTests(QuestionWorld world) : IClassFixture<QuestionWorld>
{
    [Fact]
    public async Task OpenQuestionsComeFromSlackAndFromPostsAndAnsweredOnesLeave()
    {
        var summary = await world.Assistant.SummarizeAsync(8);

        var open = Assert.Single(summary.OpenQuestions);
        Assert.Contains("Should we geo-block the three worst ASNs?", open.Text);
        Assert.Equal(world.Entries["geo-block-question"], open.Sources.Single().EntryId);
        var section = Section(summary.Text, "**Open questions**");
        Assert.DoesNotContain("Is the origin healthy?", section);
        Assert.DoesNotContain("Do we need to tell the status page?", section);
    }

    [Fact]
    public async Task WhatHasBeenDoneListsActionsNotQuestionsObservationsOrHypotheses()
    {
        var summary = await world.Assistant.SummarizeAsync(8);

        var done = summary.Done.Select(l => l.Text).ToList();
        Assert.Contains(done, l => l.Contains("Enabled the CDN's under-attack mode"));
        Assert.Contains(done, l => l.Contains("Added rate limiting rules at 200 rps per IP"));
        Assert.DoesNotContain(done, l => l.Contains("Error rate is dropping"));
        Assert.DoesNotContain(done, l => l.Contains("geo-block"));
        Assert.DoesNotContain(done, l => l.Contains("Do we need to tell the status page?"));
        Assert.DoesNotContain(done, l => l.Contains("Traffic is coming from a botnet"));
        Assert.DoesNotContain(done, l => l.Contains("Hypothesis"));
    }

    [Fact]
    public async Task TheLatestHypothesisIsGivenAsOneWhenNoCauseIsStated()
    {
        var summary = await world.Assistant.SummarizeAsync(8);

        var line = Assert.Single(summary.Hypothesis);
        Assert.Contains("the attack targets /search", line.Text);
        Assert.Contains("(a hypothesis, not confirmed)", line.Text);
        Assert.Equal(world.Entries["ddos-hypothesis"], line.Sources.Single().EntryId);
        Assert.Contains("**Current hypothesis / root cause**", summary.Text);
    }

    [Fact]
    public async Task AStatedRootCauseReplacesTheHypotheses()
    {
        var summary = await world.Assistant.SummarizeAsync(4);

        var line = Assert.Single(summary.Hypothesis);
        Assert.Contains("lowered the connection pool from 50 to 5", line.Text);
        Assert.Contains("(stated as the cause)", line.Text);
        Assert.Equal(world.Entries["checkout-root-cause"], line.Sources.Single().EntryId);
        Assert.DoesNotContain("new connection pool settings", Section(summary.Text, "**Current hypothesis / root cause**"));
        await world.AssertCitationsPointAtRealEntriesAsync(summary.Citations);
    }

    [Fact]
    public async Task ATimelineWithoutCauseOrHypothesisHasNoSuchLine()
    {
        var summary = await world.Assistant.SummarizeAsync(9);

        Assert.Empty(summary.Hypothesis);
        Assert.DoesNotContain("Current hypothesis", summary.Text);
    }

    private static string Section(string text, string heading)
    {
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No {heading} in:\n{text}");
        var end = text.IndexOf("\n**", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }
}
