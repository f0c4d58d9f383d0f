using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Every string of <see cref="InjectionStrings"/> goes in through every way text reaches the store (a title
/// through the API and through <c>/incident declare</c>, a description, a timeline post through the API and
/// through <c>/incident update</c>, a channel message) and must come back through the REST API as it went in:
/// kept, not interpreted. Only the documented normal forms apply (a title's whitespace runs become one space,
/// text is trimmed, a declared title is Slack-unescaped once), and a text over its field's limit is refused.
/// The number of incidents changes by exactly what the call declares.
/// </summary>
public sealed partial class InjectionTests(RobustnessBot bot) : IClassFixture<RobustnessBot>
{
    public const string RestTitle = "rest title";
    public const string RestDescription = "rest description";
    public const string RestTimeline = "rest timeline post";
    public const string SlashDeclare = "slash declare title";
    public const string SlashUpdate = "slash update";
    public const string ChannelMessage = "channel message";

    private const int MaxTitle = 200;
    private const int MaxDescription = 4_000;
    private const int MaxTimelineText = 40_000;

    private static readonly string[] Sinks = [RestTitle, RestDescription, RestTimeline, SlashDeclare, SlashUpdate, ChannelMessage];

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var sink in Sinks)
            {
                foreach (var (name, _) in InjectionStrings.All)
                {
                    data.Add(sink, name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InjectedTextIsStoredVerbatimAndReturnedUnchanged(string sink, string name)
    {
        var text = InjectionStrings.All.Single(s => s.Name == name).Text;
        var incidentsBefore = (await bot.IncidentsAsync()).Count;

        var declared = sink switch
        {
            RestTitle => await ThroughRestTitleAsync(text),
            RestDescription => await ThroughRestDescriptionAsync(text),
            RestTimeline => await ThroughRestTimelineAsync(text),
            SlashDeclare => await ThroughSlashDeclareAsync(text),
            SlashUpdate => await ThroughSlashUpdateAsync(text),
            ChannelMessage => await ThroughChannelMessageAsync(text),
            _ => throw new ArgumentOutOfRangeException(nameof(sink), sink, null),
        };

        Assert.Equal(incidentsBefore + declared, (await bot.IncidentsAsync()).Count);
        await bot.AssertStillHealthyAsync();
    }

    /// <returns>How many incidents the call declared.</returns>
    private async Task<int> ThroughRestTitleAsync(string text)
    {
        var expected = NormalTitle(text);
        using var response = await bot.Slack.Bot.Client.PostAsJsonAsync("/api/incidents", new { title = text, declaredBy = SlackTestBot.Responder });
        if (expected.Length > MaxTitle)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return 0;
        }

        var created = await TestBot.ReadSuccessAsync(response);
        Assert.Equal(expected, created.GetProperty("title").GetString());
        var number = created.GetProperty("number").GetInt64();
        Assert.Equal(expected, (await bot.Slack.IncidentAsync(number)).GetProperty("title").GetString());
        await AssertChannelOpenedAsync(number);
        return 1;
    }

    private async Task<int> ThroughRestDescriptionAsync(string text)
    {
        var expected = text.Trim();
        using var response = await bot.Slack.Bot.Client.PatchAsJsonAsync($"/api/incidents/{bot.Incident}", new { description = text });
        if (expected.Length > MaxDescription)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return 0;
        }

        Assert.Equal(expected, (await TestBot.ReadSuccessAsync(response)).GetProperty("description").GetString());
        Assert.Equal(expected, (await bot.Slack.IncidentAsync(bot.Incident)).GetProperty("description").GetString());
        return 0;
    }

    private async Task<int> ThroughRestTimelineAsync(string text)
    {
        using var response = await bot.Slack.Bot.Client.PostAsJsonAsync($"/api/incidents/{bot.Incident}/timeline", new { message = text, type = "action" });
        var entry = await TestBot.ReadSuccessAsync(response);
        Assert.Equal(text.Trim(), entry.GetProperty("text").GetString());
        var id = entry.GetProperty("id").GetInt64();
        var stored = (await bot.TimelineAsync(bot.Incident)).Single(e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal(text.Trim(), stored.GetProperty("text").GetString());
        Assert.Equal("action", stored.GetProperty("type").GetString());
        return 0;
    }

    /// <summary>Slack escapes &amp;, &lt; and &gt; in what the user typed; the title keeps what was typed.</summary>
    private async Task<int> ThroughSlashDeclareAsync(string text)
    {
        var typed = $"Probe {text} end";
        var expected = NormalTitle(typed);
        using var response = await bot.Slack.CommandAsync("declare " + SlackEscaping.Escape(typed));
        var answer = await SlackTestBot.TextOfAsync(response);
        if (expected.Length > MaxTitle)
        {
            Assert.Contains($"at most {MaxTitle}", answer);
            return 0;
        }

        var number = long.Parse(IncidentNumber().Match(answer).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, (await bot.Slack.IncidentAsync(number)).GetProperty("title").GetString());
        await AssertChannelOpenedAsync(number);
        return 1;
    }

    /// <summary>An update keeps the text as Slack sent it (still escaped), like a message of the channel.</summary>
    private async Task<int> ThroughSlashUpdateAsync(string text)
    {
        var sent = "probe " + SlackEscaping.Escape(text);
        var expected = sent.Trim();
        var before = await UpdatesAsync(expected);
        using var response = await bot.Slack.CommandAsync("update " + sent, bot.IncidentChannel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (expected.Length > MaxTimelineText)
        {
            Assert.Contains($"at most {MaxTimelineText}", await response.Content.ReadAsStringAsync());
            Assert.Equal(before, await UpdatesAsync(expected));
            return 0;
        }

        Assert.Equal(before + 1, await UpdatesAsync(expected));
        return 0;
    }

    private async Task<int> ThroughChannelMessageAsync(string text)
    {
        var ts = RobustnessBot.UniqueTs();
        using var response = await bot.SendAsync(bot.SignedEvent(bot.Envelope(RobustnessBot.MessageEvent(bot.IncidentChannel, text, ts))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await bot.DrainAsync();
        var stored = (await bot.TimelineAsync(bot.Incident)).Single(e =>
            e.GetProperty("slack").ValueKind == JsonValueKind.Object && e.GetProperty("slack").GetProperty("ts").GetString() == ts);
        Assert.Equal(text.Trim(), stored.GetProperty("text").GetString());
        Assert.Equal("message", stored.GetProperty("type").GetString());
        return 0;
    }

    private async Task<int> UpdatesAsync(string text) =>
        (await bot.TimelineAsync(bot.Incident)).Count(e => e.GetProperty("type").GetString() == "update" && e.GetProperty("text").GetString() == text);

    /// <summary>The channel is opened whatever the title, with a name Slack accepts.</summary>
    private async Task AssertChannelOpenedAsync(long number)
    {
        var channel = await SlackTestBot.EventuallyAsync(async () =>
        {
            var incident = await bot.Slack.IncidentAsync(number);
            return incident.GetProperty("channel").ValueKind == JsonValueKind.Object ? incident.GetProperty("channel").GetProperty("name").GetString() : null;
        }, TimeSpan.FromSeconds(30));
        Assert.Matches(SlackChannelName(), channel);
        Assert.True(channel.Length <= 80, channel);
    }

    /// <summary>The documented normal form of a title: runs of whitespace become one space, the ends are trimmed.</summary>
    private static string NormalTitle(string title) => Whitespace().Replace(title, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"INC-(\d+)")]
    private static partial Regex IncidentNumber();

    [GeneratedRegex(@"^incident-\d+(-[a-z0-9_]+)*$")]
    private static partial Regex SlackChannelName();
}
