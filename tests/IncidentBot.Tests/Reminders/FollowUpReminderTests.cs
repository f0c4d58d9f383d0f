using IncidentBot.Reminders;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Reminders;

/// <summary>
/// The weekly reminder of open follow-ups on the fake clock: the check is run by the test, the direct messages are
/// asserted. A check run by the test returns only after the bot's own hourly one, if it is under way, has sent.
/// </summary>
public sealed class FollowUpReminderTests : IAsyncLifetime
{
    private const string Bob = "U0BOB";
    private const string Carol = "U0CAROL";
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private readonly FakeClock clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private SlackTestBot slack = null!;
    private FollowUpReminders reminders = null!;

    public async Task InitializeAsync()
    {
        // Advancing the fake clock by a week would run every periodic timer of the bot thousands of times, so the week is an hour here.
        slack = await SlackTestBot.StartAsync(clock: clock, extraSettings: new Dictionary<string, string?>
        {
            ["Reminders:FollowUpsEvery"] = Interval.ToString(),
        });
        slack.Slack.AddUser(Bob, "bob");
        slack.Slack.AddUser(Carol, "carol");
        reminders = slack.Bot.App.Services.GetRequiredService<FollowUpReminders>();
    }

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task OwnersOfOpenFollowUpsOfResolvedIncidentsGetOneDirectMessageEachInterval()
    {
        var resolved = await DeclareAsync("Checkout down");
        await slack.CommandAsync($"followup Add retries to the payment client <@{Bob}> due 2026-11-20", resolved);
        await slack.CommandAsync($"followup Alert on webhook failures <@{Bob}>", resolved);
        await slack.CommandAsync($"followup Rotate the webhook secret <@{Carol}>", resolved);
        await slack.CommandAsync("followup done 3", resolved);
        await slack.CommandAsync("followup Someone should write the runbook", resolved);
        await slack.CommandAsync("resolve rolled back", resolved);
        await slack.WaitUntilSlackIsToldAsync(1);
        var stillOpen = await DeclareAsync("Search slow");
        await slack.CommandAsync($"followup Tune the search cache <@{Carol}>", stillOpen);

        await reminders.RemindOwnersAsync();

        var toBob = Assert.Single(DirectMessagesTo(Bob));
        Assert.Contains("These 2 follow-ups of resolved incidents are still open and yours", toBob.Text);
        Assert.Contains("*INC-1*", toBob.Text);
        Assert.Contains($"1. Add retries to the payment client — <@{Bob}>, due 2026-11-20", toBob.Text);
        Assert.Contains("2. Alert on webhook failures", toBob.Text);
        Assert.Null(slack.Slack.DirectMessagesWith(Carol));

        clock.Advance(Interval - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await reminders.RemindOwnersAsync());
        Assert.Single(DirectMessagesTo(Bob));

        await slack.CommandAsync("followup INC-1 done 2");
        await slack.WaitUntilSlackIsToldAsync(1);
        clock.Advance(TimeSpan.FromMinutes(1));
        await reminders.RemindOwnersAsync();

        // The bot's own hourly check, due now too, may be the one that sent it.
        var messages = DirectMessagesTo(Bob);
        Assert.Equal(2, messages.Count);
        Assert.Contains("This follow-up of a resolved incident is still open and yours", messages[1].Text);
        Assert.DoesNotContain("Alert on webhook failures", messages[1].Text);
    }

    [Fact]
    public async Task AReminderSlackRefusedIsSentAtTheNextCheck()
    {
        var channel = await DeclareAsync("Checkout down");
        await slack.CommandAsync($"followup Add retries <@{Bob}>", channel);
        await slack.CommandAsync("resolve", channel);
        await slack.WaitUntilSlackIsToldAsync(1);
        slack.Slack.ErrorNext("chat.postMessage", "ratelimited");

        Assert.Equal(0, await reminders.RemindOwnersAsync());
        Assert.Equal(1, await reminders.RemindOwnersAsync());

        Assert.Single(DirectMessagesTo(Bob));
    }

    private IReadOnlyList<FakeMessage> DirectMessagesTo(string user) =>
        slack.Slack.DirectMessagesWith(user) is { } direct ? slack.Slack.MessagesIn(direct.Id) : [];

    private async Task<string> DeclareAsync(string title)
    {
        var number = await slack.DeclareAsync($"{title} sev3");
        var channel = await slack.ChannelOfAsync(number);
        await slack.WaitUntilSlackIsToldAsync(number);
        return channel.Id;
    }
}
