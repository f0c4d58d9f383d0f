using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Api;

/// <summary>
/// Over REST the assistant's answers name people as Slack knows them and link in Markdown, never in Slack's markup,
/// while in Slack the same answer keeps its mentions.
/// </summary>
public sealed class AnswersOutsideSlackTests : IAsyncLifetime
{
    private const string Erin = "U0ERIN";
    private const string Gone = "U0GONE";

    private SlackTestBot slack = null!;
    private long number;

    public async Task InitializeAsync()
    {
        slack = await SlackTestBot.StartAsync();
        slack.Slack.AddUser(Erin, "erin", "Erin Example");
        var declared = await TestBot.ReadSuccessAsync(await slack.Bot.Client.PostAsJsonAsync("/api/incidents", new
        {
            title = "Checkout failing",
            severity = "SEV-2",
            commanderId = Erin,
            declaredBy = SlackTestBot.Responder,
        }));
        number = declared.GetProperty("number").GetInt64();
        var channel = await slack.ChannelOfAsync(number);
        await slack.EventAsync(new
        {
            type = "message",
            channel = channel.Id,
            user = Erin,
            text = $"Rolled back checkout-api with <@{SlackTestBot.Responder}> and <@{Gone}>, see <https://status.example.com/1|the status page> in <#C0OPS|ops> &amp; <https://grafana.example.com/d/1>",
            ts = "1700000000.000100",
            channel_type = "channel",
        });
        await slack.DrainAsync(number, channel.Id);
    }

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task AnAnswerNamesThePersonByTheNameSlackGives()
    {
        var answer = await AskAsync($"who is the commander of INC-{number}?");

        Assert.Contains("The commander of INC-1 is **erin**", answer);
        Assert.DoesNotContain("<@", answer);
    }

    [Fact]
    public async Task QuotedMessagesNamePeopleAndLinkInMarkdownAndUnknownPeopleKeepTheirId()
    {
        var answer = await AskAsync($"what remediation actions did the responders take in INC-{number}?");

        Assert.Contains(
            "erin: Rolled back checkout-api with alice and @U0GONE, see [the status page](https://status.example.com/1) in #ops & https://grafana.example.com/d/1",
            answer);
        Assert.DoesNotContain("<", answer);
    }

    [Fact]
    public async Task SlackIsAskedForEachNameOnceNotForEachAnswer()
    {
        await AskAsync($"who is the commander of INC-{number}?");
        await AskAsync($"what remediation actions did the responders take in INC-{number}?");
        await AskAsync($"who is the commander of INC-{number}?");

        var asked = slack.Slack.CallsTo("users.info").Select(call => call.Arg("user")).ToList();
        Assert.Equal(1, asked.Count(user => user == Erin));
        Assert.Equal(1, asked.Count(user => user == Gone));
    }

    [Fact]
    public async Task TheSummaryAndItsLinesNamePeopleToo()
    {
        var summary = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync($"/api/incidents/{number}/summary"));

        Assert.Contains("commander erin", summary.GetProperty("text").GetString());
        var lines = new[] { "impact", "done", "tryingNow", "openQuestions", "hypothesis" }
            .SelectMany(part => summary.GetProperty(part).EnumerateArray()).Select(line => line.GetProperty("text").GetString()!).ToList();
        Assert.Contains(lines, line => line.Contains("erin: Rolled back checkout-api with alice", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("<@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InSlackTheSameAnswerKeepsTheMention()
    {
        var channel = await slack.ChannelOfAsync(number);
        await slack.EventAsync(new
        {
            type = "app_mention",
            channel = channel.Id,
            user = SlackTestBot.Responder,
            text = $"<@{slack.Slack.BotUserId}> who is the commander?",
            ts = "1700000100.000100",
        });

        var reply = await SlackTestBot.EventuallyAsync(() => Task.FromResult(
            channel.Messages.FirstOrDefault(message => message.Text?.Contains("The commander of", StringComparison.Ordinal) == true)));

        Assert.Contains($"The commander of INC-1 is **<@{Erin}>**", reply.Text);
    }

    private async Task<string> AskAsync(string question)
    {
        var body = await TestBot.ReadSuccessAsync(await slack.Bot.Client.PostAsJsonAsync("/api/ask", new { question }));
        return body.GetProperty("text").GetString()!;
    }
}
