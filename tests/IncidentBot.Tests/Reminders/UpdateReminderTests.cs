using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using IncidentBot.Reminders;
using IncidentBot.Telemetry;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentBot.Tests.Reminders;

/// <summary>
/// Reminders on the fake clock: the check is run by the test, and Slack's calls are what is asserted. The bot's own
/// loop checks too when the clock moves; a check run by the test returns only after the loop's has posted, so what
/// was due is in the channel when it returns, and no post is still on its way when the test moves the clock again
/// (which would time it out and have it sent twice).
/// </summary>
public sealed class UpdateReminderTests : IAsyncLifetime
{
    private readonly FakeClock clock = new(DateTimeOffset.UtcNow);
    private SlackTestBot slack = null!;
    private UpdateReminders reminders = null!;

    public async Task InitializeAsync()
    {
        slack = await SlackTestBot.StartAsync(clock: clock);
        reminders = slack.Bot.App.Services.GetRequiredService<UpdateReminders>();
    }

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task ASev1WithoutAnUpdateFor15MinutesGetsOneReminderMentioningTheCommander()
    {
        var (number, channel) = await DeclareAsync("sev1");

        clock.Advance(TimeSpan.FromMinutes(14));
        await reminders.RemindWhereDueAsync();
        Assert.Empty(Reminders(channel));

        clock.Advance(TimeSpan.FromMinutes(1));
        await reminders.RemindWhereDueAsync();
        var reminder = Assert.Single(Reminders(channel));
        Assert.Contains($"<@{SlackTestBot.Responder}>", reminder.Text);
        Assert.Contains($"no update on *INC-{number}* for 15 min", reminder.Text);
        var blocks = reminder.Blocks.ToString();
        Assert.Contains(ReminderActions.PostUpdate, blocks);
        Assert.Contains(ReminderActions.Snooze, blocks);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await reminders.RemindWhereDueAsync());
        Assert.Single(Reminders(channel));
    }

    [Fact]
    public async Task AReminderPostedIsCountedBySeverity()
    {
        using var sent = new MetricCollector<long>(
            slack.Bot.App.Services.GetRequiredService<IMeterFactory>(), IncidentBotMetrics.MeterName, "incidentbot.reminders.sent");
        var (_, channel) = await DeclareAsync("sev2");

        clock.Advance(TimeSpan.FromMinutes(15));
        await reminders.RemindWhereDueAsync();
        Assert.Single(Reminders(channel));

        var reminder = Assert.Single(sent.GetMeasurementSnapshot());
        Assert.Equal("SEV-2", reminder.Tags["severity"]);
    }

    [Fact]
    public async Task AnUpdateOrASeverityChangeStartsTheIntervalAgain()
    {
        var (number, channel) = await DeclareAsync("sev2");
        clock.Advance(TimeSpan.FromMinutes(10));
        await CommandAsync("update Failover to us-east-2 in progress", number, channel);
        clock.Advance(TimeSpan.FromMinutes(10));
        await CommandAsync("severity sev1", number, channel);
        clock.Advance(TimeSpan.FromMinutes(14));

        Assert.Equal(0, await reminders.RemindWhereDueAsync());

        clock.Advance(TimeSpan.FromMinutes(1));
        await reminders.RemindWhereDueAsync();
        Assert.Single(Reminders(channel));
    }

    [Fact]
    public async Task SnoozeHoldsRemindersBackForHalfAnHour()
    {
        var (number, channel) = await DeclareAsync("sev1");
        clock.Advance(TimeSpan.FromMinutes(15));
        await reminders.RemindWhereDueAsync();
        var reminder = Assert.Single(Reminders(channel));

        await slack.SendAsync(slack.Signer.Interaction(Click(ReminderActions.Snooze, number, channel, reminder.Ts)));
        await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("text")?.Contains("No update reminders") == true);
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await reminders.RemindWhereDueAsync());

        clock.Advance(TimeSpan.FromMinutes(1));
        await reminders.RemindWhereDueAsync();
        Assert.Equal(2, Reminders(channel).Count);
    }

    [Fact]
    public async Task PostUpdateOpensAFormWhoseTextBecomesAnUpdate()
    {
        var (number, channel) = await DeclareAsync("sev1");
        clock.Advance(TimeSpan.FromMinutes(15));
        await reminders.RemindWhereDueAsync();
        var reminder = Assert.Single(Reminders(channel));

        await slack.SendAsync(slack.Signer.Interaction(Click(ReminderActions.PostUpdate, number, channel, reminder.Ts)));
        var opened = await slack.Slack.WaitForCallAsync("views.open");
        Assert.Contains(ReminderActions.UpdateFormCallbackId, opened.Body.GetRawText());
        await slack.SendAsync(slack.Signer.Interaction(Submission(number, "Rolled back v2.3.1; error rate falling")));

        var timeline = await slack.TimelineAsync(number);
        Assert.Contains(timeline, e => e.GetProperty("type").GetString() == "update"
            && e.GetProperty("text").GetString() == "Rolled back v2.3.1; error rate falling"
            && e.GetProperty("actor").GetString() == SlackTestBot.Responder);
    }

    [Fact]
    public async Task StableIncidentsAndSeveritiesWithoutAnIntervalGetNone()
    {
        var (stable, stableChannel) = await DeclareAsync("sev1");
        await CommandAsync("stable", stable, stableChannel);
        var (_, sev3Channel) = await DeclareAsync("sev3", "Search slow");

        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await reminders.RemindWhereDueAsync());
        Assert.Empty(Reminders(stableChannel));
        Assert.Empty(Reminders(sev3Channel));
    }

    private async Task<(long Number, string Channel)> DeclareAsync(string severity, string title = "Checkout API errors")
    {
        var number = await slack.DeclareAsync($"{title} {severity}");
        var channel = await slack.ChannelOfAsync(number);
        await slack.WaitUntilSlackIsToldAsync(number);
        return (number, channel.Id);
    }

    /// <summary>
    /// A change in the incident's channel, once the channel has been told of it: a Slack call still under way when the
    /// test moves the clock would time out on it and be made again.
    /// </summary>
    private async Task CommandAsync(string text, long number, string channel)
    {
        await slack.CommandAsync(text, channel);
        await slack.WaitUntilSlackIsToldAsync(number);
    }

    private List<FakeMessage> Reminders(string channel) => [.. slack.Slack.MessagesIn(channel).Where(m => IsReminder(m.Text))];

    private static bool IsReminder(string? text) => text?.Contains("no update on", StringComparison.Ordinal) == true;

    private static string Click(string actionId, long number, string channel, string messageTs) =>
        SlackPayloads.ButtonClick(actionId, "reminder", number, channel, messageTs);

    private static string Submission(long number, string text) => SlackPayloads.FormSubmission(
        ReminderActions.UpdateFormCallbackId,
        number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        new Dictionary<string, JsonObject> { ["update"] = SlackPayloads.Text(text) });
}
