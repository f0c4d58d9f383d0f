using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

/// <summary>Roles besides the commander and follow-ups, through slash commands, mentions, the card and its form.</summary>
public sealed class RolesAndFollowUpsInSlackTests : IAsyncLifetime
{
    private const string Bob = "U0BOB";
    private const string Carol = "U0CAROL";
    private SlackTestBot slack = null!;

    public async Task InitializeAsync()
    {
        slack = await SlackTestBot.StartAsync();
        slack.Slack.AddUser(Bob, "bob");
        slack.Slack.AddUser(Carol, "carol");
    }

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task ARoleGivenWithTheSlashCommandIsOnTheCardTheTopicAndTheTimelineAndItsHolderIsToldWhatItDoes()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);

        var answer = await slack.CommandAsync($"role scribe <@{Bob}|bob>", channel.Id);

        Assert.Empty(await answer.Content.ReadAsStringAsync());
        var note = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == Bob);
        Assert.Contains($"You are now the *scribe* of *INC-{number}", note.Arg("text"));
        Assert.Contains("Keep the timeline", note.Arg("text"));
        await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("text") == $"<@{SlackTestBot.Responder}> made <@{Bob}> the scribe");
        await slack.WaitUntilSlackIsToldAsync(number);
        Assert.Contains($"Scribe: <@{Bob}>", channel.Topic);
        Assert.Contains(Bob, channel.Members);
        Assert.Contains($"*Roles*\\nScribe: <@{Bob}>", CardOf(channel));
        var role = Assert.Single((await slack.IncidentAsync(number)).GetProperty("roles").EnumerateArray());
        Assert.Equal("scribe", role.GetProperty("role").GetString());
        Assert.Equal(Bob, role.GetProperty("userId").GetString());
        var entry = Assert.Single(await slack.TimelineAsync(number), e => e.GetProperty("type").GetString() == "role_assigned");
        Assert.Equal(SlackTestBot.Responder, entry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task AWrongRoleOrAMissingPersonGetsAUsageLineNamingTheRoles()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);

        var misspelt = await SlackTestBot.TextOfAsync(await slack.CommandAsync($"role scrib <@{Bob}>", channel.Id));
        var nobody = await SlackTestBot.TextOfAsync(await slack.CommandAsync("role comms lead", channel.Id));

        Assert.Contains("'scrib' is not a role. Did you mean scribe?", misspelt);
        Assert.Contains("Usage: /incident role <scribe|comms lead> <@person>", misspelt);
        Assert.Contains("Say who becomes the comms lead", nobody);
        Assert.Contains("Usage: /incident role <scribe|comms lead> <@person>", nobody);
        Assert.Empty((await slack.IncidentAsync(number)).GetProperty("roles").EnumerateArray());
    }

    [Fact]
    public async Task TheMentionMakeSomeoneTheCommsLeadGivesTheRoleAndAWrongRoleIsExplained()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);
        var bot = slack.Slack.BotUserId;

        await slack.EventAsync(Mention(channel.Id, $"<@{bot}> make <@{Carol}> the comms lead", "1700000010.000100"));
        await slack.EventAsync(Mention(channel.Id, $"<@{bot}> make <@{Bob}> the scirbe", "1700000011.000100"));

        var refusal = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == SlackTestBot.Responder);
        Assert.Contains("'scirbe' is not a role", refusal.Arg("text"));
        Assert.Contains("Did you mean scribe?", refusal.Arg("text"));
        var role = Assert.Single((await slack.IncidentAsync(number)).GetProperty("roles").EnumerateArray());
        Assert.Equal("comms lead", role.GetProperty("role").GetString());
        Assert.Equal(Carol, role.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task FollowUpsFromTheSlashCommandAndTheMentionAreListedOnTheCardAndOneIsClosed()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);

        await slack.CommandAsync($"followup Add retries to the payment client <@{Bob}|bob> due 2026-12-15", channel.Id);
        await slack.EventAsync(Mention(channel.Id, $"<@{slack.Slack.BotUserId}> follow-up: write the failover runbook <@{Carol}>", "1700000010.000100"));
        await SlackTestBot.EventuallyAsync(async () => (bool?)((await slack.IncidentAsync(number)).GetProperty("followUps").GetArrayLength() == 2));
        var elsewhere = await SlackTestBot.TextOfAsync(await slack.CommandAsync($"followup INC-{number} done 1"));

        Assert.Equal($"Done: the follow-up of INC-{number} is updated.", elsewhere);
        var followUps = (await slack.IncidentAsync(number)).GetProperty("followUps").EnumerateArray().ToList();
        Assert.Equal(("Add retries to the payment client", Bob, "2026-12-15", "done"),
            (followUps[0].GetProperty("text").GetString(), followUps[0].GetProperty("ownerId").GetString(), followUps[0].GetProperty("dueOn").GetString(), followUps[0].GetProperty("status").GetString()));
        Assert.Equal(("write the failover runbook", Carol, "open"),
            (followUps[1].GetProperty("text").GetString(), followUps[1].GetProperty("ownerId").GetString(), followUps[1].GetProperty("status").GetString()));
        await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("text")!.Contains($"added follow-up 1: Add retries to the payment client — <@{Bob}>, due 2026-12-15"));
        await slack.WaitUntilSlackIsToldAsync(number);
        var card = CardOf(channel);
        Assert.Contains("*Follow-ups* (1 open)", card);
        Assert.Contains($":white_square: 2. write the failover runbook — <@{Carol}>", card);
        Assert.Contains(":ballot_box_with_check: 1. ~Add retries to the payment client~", card);
        Assert.Contains(CardActions.AddFollowUp, card);
    }

    [Fact]
    public async Task TheCardsAddFollowUpButtonOpensAFormWhoseSubmissionAddsTheFollowUp()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);
        var cardTs = (await slack.Slack.WaitForCallAsync("pins.add")).Arg("timestamp")!;

        await slack.SendAsync(slack.Signer.Interaction(Click(CardActions.AddFollowUp, number, channel.Id, cardTs)));
        var opened = await slack.Slack.WaitForCallAsync("views.open");
        var bad = await slack.SendAsync(slack.Signer.Interaction(Submission(number, "Rotate the webhook secret", Carol, "someday")));
        var good = await slack.SendAsync(slack.Signer.Interaction(Submission(number, "Rotate the webhook secret", Carol, "2026-12-20")));

        Assert.Contains(FollowUpModal.CallbackId, opened.Body.GetProperty("view").GetRawText());
        Assert.Contains("response_action", await bad.Content.ReadAsStringAsync());
        Assert.Contains("is not a date", await bad.Content.ReadAsStringAsync());
        Assert.Empty(await good.Content.ReadAsStringAsync());
        var followUp = Assert.Single((await slack.IncidentAsync(number)).GetProperty("followUps").EnumerateArray());
        Assert.Equal("Rotate the webhook secret", followUp.GetProperty("text").GetString());
        Assert.Equal(Carol, followUp.GetProperty("ownerId").GetString());
        Assert.Equal("2026-12-20", followUp.GetProperty("dueOn").GetString());
        Assert.Equal(SlackTestBot.Responder, followUp.GetProperty("createdBy").GetString());
    }

    /// <summary>The pinned card's blocks as JSON that keeps Slack's markup readable (<c>&lt;@U…&gt;</c>).</summary>
    private static string CardOf(FakeChannel channel)
    {
        var card = channel.Messages.Single(m => m.Blocks is not null && m.Blocks.Value.GetRawText().Contains(CardActions.BlockIdPrefix));
        return JsonNode.Parse(card.Blocks!.Value.GetRawText())!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static object Mention(string channel, string text, string ts) =>
        new { type = "app_mention", channel, user = SlackTestBot.Responder, text, ts, event_ts = ts };

    private static string Click(string actionId, long number, string channel, string messageTs) =>
        SlackPayloads.ButtonClick(actionId, $"{CardActions.BlockIdPrefix}{number}", number, channel, messageTs);

    private static string Submission(long number, string text, string owner, string due) => SlackPayloads.FormSubmission(
        FollowUpModal.CallbackId,
        number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        new Dictionary<string, JsonObject>
        {
            [FollowUpModal.TextBlock] = SlackPayloads.Text(text),
            [FollowUpModal.OwnerBlock] = SlackPayloads.User(owner),
            [FollowUpModal.DueBlock] = SlackPayloads.Text(due),
        });
}
