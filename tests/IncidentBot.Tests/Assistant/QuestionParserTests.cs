using IncidentBot.Assistant;
using IncidentBot.Incidents;

namespace IncidentBot.Tests.Assistant;

public sealed class QuestionParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("give me a summary of this incident", QuestionKind.Summary)]
    [InlineData("<@U0BOT> can you summarise INC-4?", QuestionKind.Summary)]
    [InlineData("catch me up", QuestionKind.Summary)]
    [InlineData("are there any related incidents?", QuestionKind.Related)]
    [InlineData("anything similar to this one?", QuestionKind.Related)]
    [InlineData("find me incidents related to DDOS attacks from the past month", QuestionKind.Related)]
    [InlineData("how many incidents are currently ongoing?", QuestionKind.Count)]
    [InlineData("How many SEV-2 incidents did we have last quarter?", QuestionKind.Count)]
    [InlineData("show me all Sev-1 incidents that occurred in the past week", QuestionKind.List)]
    [InlineData("were there any incidents in the past month that impacted the payments service?", QuestionKind.List)]
    [InlineData("list critical incidents", QuestionKind.List)]
    [InlineData("what was the root cause of incident-123?", QuestionKind.RootCause)]
    [InlineData("why did INC-5 happen?", QuestionKind.RootCause)]
    [InlineData("what remediation actions did the responders take in incident-123?", QuestionKind.Remediation)]
    [InlineData("what did the team do to fix it?", QuestionKind.Remediation)]
    [InlineData("a customer is unable to check out. Is there an incident?", QuestionKind.Symptom)]
    [InlineData("are we having an outage? logins fail", QuestionKind.Symptom)]
    [InlineData("draft a postmortem", QuestionKind.Postmortem)]
    [InlineData("write the post-mortem for INC-9", QuestionKind.Postmortem)]
    [InlineData("kafka consumer lag", QuestionKind.Search)]
    [InlineData("", QuestionKind.Search)]
    public void EachQuestionIsReadAsItsKind(string text, QuestionKind kind)
    {
        Assert.Equal(kind, QuestionParser.Parse(text, Now).Kind);
    }

    [Theory]
    [InlineData("what was the root cause of incident-123?", 123L)]
    [InlineData("root cause of INC-42", 42L)]
    [InlineData("root cause of inc 42", 42L)]
    [InlineData("root cause of #7", 7L)]
    [InlineData("what happened since 3 days?", null)]
    public void TheNamedIncidentIsRead(string text, long? reference)
    {
        Assert.Equal(reference, QuestionParser.Parse(text, Now).Reference);
    }

    [Fact]
    public void TheIncidentAskedInIsUsedWhenNoneIsNamed()
    {
        var inChannel = QuestionParser.Parse("what was the root cause?", Now, currentIncident: 9);
        var named = QuestionParser.Parse("what was the root cause of INC-3?", Now, currentIncident: 9);

        Assert.Equal(9, inChannel.Incident);
        Assert.Equal(3, named.Incident);
    }

    [Theory]
    [InlineData("in the past week", 7 * 24, "the past week")]
    [InlineData("from the past month", 30 * 24, "the past month")]
    [InlineData("over the last 3 days", 3 * 24, "the past 3 days")]
    [InlineData("in the past 24 hours", 24, "the past 24 hours")]
    [InlineData("last two weeks", 14 * 24, "the past 2 weeks")]
    public void TimeFramesAreReadBackFromNow(string phrase, int hours, string frame)
    {
        var question = QuestionParser.Parse($"show me incidents {phrase}", Now);

        Assert.Equal(Now.AddHours(-hours), question.Since);
        Assert.Equal(Now, question.Until);
        Assert.Equal(frame, question.TimeFrame);
    }

    [Theory]
    [InlineData("this week", "2026-11-02T00:00:00Z", null)]
    [InlineData("this month", "2026-11-01T00:00:00Z", null)]
    [InlineData("this year", "2026-01-01T00:00:00Z", null)]
    [InlineData("last week", "2026-10-26T00:00:00Z", "2026-11-02T00:00:00Z")]
    [InlineData("last month", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")]
    [InlineData("since Monday", "2026-11-02T00:00:00Z", null)]
    [InlineData("since 08:30", "2026-11-02T08:30:00Z", null)]
    [InlineData("since 10pm", "2026-11-01T22:00:00Z", null)]
    [InlineData("since 2026-10-20", "2026-10-20T00:00:00Z", null)]
    [InlineData("in October", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z")]
    public void CalendarTimeFramesStartAtTheirCalendarStart(string phrase, string since, string? until)
    {
        var question = QuestionParser.Parse($"show me incidents {phrase}", Now);

        Assert.Equal(DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture), question.Since);
        Assert.Equal(until is null ? Now : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), question.Until);
    }

    [Fact]
    public void TodayAndYesterdayAreCalendarDays()
    {
        var today = QuestionParser.Parse("incidents today", Now);
        var yesterday = QuestionParser.Parse("incidents yesterday", Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), today.Since);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), yesterday.Since);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), yesterday.Until);
    }

    [Fact]
    public void SeveritiesStatusesAndServicesAreRead()
    {
        var question = QuestionParser.Parse("how many open sev1 or SEV-2 incidents impacted the checkout-api service?", Now);

        Assert.Equal([Severity.Sev1, Severity.Sev2], question.Severities);
        Assert.Equal([IncidentStatus.Active, IncidentStatus.Stable], question.Statuses);
        Assert.Contains("checkout-api", question.ServiceWords);
    }

    [Fact]
    public void TheSubjectOfARelatedQuestionIsItsQuery()
    {
        Assert.Equal("ddos attacks", QuestionParser.Parse("find me incidents related to DDOS attacks from the past month", Now).Query);
        Assert.Null(QuestionParser.Parse("are there any related incidents?", Now).Query);
    }

    [Fact]
    public void TheSymptomIsWhatIsLeftOfTheQuestion()
    {
        var question = QuestionParser.Parse("a customer is unable to check out. Is there an incident?", Now);

        Assert.Equal(["customer", "unable", "check", "checkout"], SearchWords.Words(question.Query));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("NEAR(\"a\" \"b\", 3) AND NOT *")]
    [InlineData("🔥🔥🔥")]
    [InlineData("&lt;@U1&gt; &amp;&amp; <@U2|bob>")]
    [InlineData("past 99999999999 years")]
    [InlineData("incident-99999999999999999999")]
    public void AnyTextIsReadWithoutThrowing(string text)
    {
        var question = QuestionParser.Parse(text, Now);

        Assert.NotNull(question.Text);
    }

    [Fact]
    public void AQuestionLongerThanWhatIsReadSaysHowLongItIs()
    {
        // A Slack message may hold 40,000 characters: only the first MaxLength are read (how long that takes is
        // measured, not asserted), and the question says it was cut, so that nothing answers its first part alone.
        var text = "who restarted " + string.Concat(Enumerable.Repeat("x y ", 50_000)) + "in INC-3?";

        var cut = QuestionParser.Parse(text, Now);
        var whole = QuestionParser.Parse(text[..QuestionParser.MaxLength], Now);

        Assert.Equal(text.Length, cut.TooLongAt);
        Assert.Null(whole.TooLongAt);
    }
}
