using System.Text.Json;
using IncidentBot.Slack.Models;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Slack.Tests.Models;

public sealed class InteractionParsingTests
{
    [Fact]
    public void BlockActionsCarryUserContainerChannelAndActions()
    {
        var payload = Assert.IsType<BlockActionsPayload>(Parse(Fixture.Read("block_actions.json")));

        Assert.Equal("W111", payload.User.Id);
        Assert.Equal(("message", "111.222", "C111", true), (payload.Container.Type, payload.Container.MessageTs, payload.Container.ChannelId, payload.Container.IsEphemeral));
        Assert.Equal("test-channel", payload.Channel?.Name);
        Assert.Equal("111.222.valid", payload.TriggerId);
        Assert.Equal("https://hooks.slack.com/actions/T111/111/random-value", payload.ResponseUrl);
        var action = Assert.Single(payload.Actions);
        Assert.Equal(("a", "b", "button", "click_me_123"), (action.ActionId, action.BlockId, action.Type, action.Value));
        Assert.Equal("Button", action.Text?.Text);
    }

    [Fact]
    public void BlockActionsFromSocketModeIncludeTheOriginalMessage()
    {
        using var envelope = JsonDocument.Parse(Fixture.Read("socket_envelope_interactive_block_actions.json"));

        var payload = Assert.IsType<BlockActionsPayload>(envelope.RootElement.GetProperty("payload").Deserialize<InteractionPayload>(SlackJson.Options));

        Assert.Equal(("1605853634.000400", "B111"), (payload.Message?.Ts, payload.Message?.BotId));
        Assert.Equal("underlying", Assert.Single(payload.Actions).Value);
    }

    [Fact]
    public void AStaticSelectActionCarriesTheSelectedOption()
    {
        const string json = """
            {"type":"block_actions","user":{"id":"U1"},"container":{"type":"view","view_id":"V1"},
             "actions":[{"type":"static_select","action_id":"sev","block_id":"b","action_ts":"1.0",
                         "selected_option":{"text":{"type":"plain_text","text":"SEV2"},"value":"sev2"}}]}
            """;

        var payload = Assert.IsType<BlockActionsPayload>(Parse(json));

        Assert.Equal("sev2", Assert.Single(payload.Actions).SelectedOption?.Value);
        Assert.Equal("V1", payload.Container.ViewId);
        Assert.Null(payload.ResponseUrl);
    }

    [Fact]
    public void ViewSubmissionCarriesCallbackIdMetadataAndState()
    {
        var submission = Assert.IsType<ViewSubmissionPayload>(Parse(Fixture.Read("view_submission.json")));

        Assert.Equal(("V111", "view-id", "This is for you!"), (submission.View.Id, submission.View.CallbackId, submission.View.PrivateMetadata));
        Assert.Equal("test", submission.View.State?.Values["hspI"]["maBWU"].Value);
        Assert.Equal("plain_text_input", submission.View.State?.Find("hspI", "maBWU")?.Type);
        Assert.Null(submission.View.State?.Find("hspI", "missing"));
    }

    [Fact]
    public void AnUnknownInteractionTypeIsKeptRaw()
    {
        var unknown = Assert.IsType<UnknownInteraction>(Parse("""{"type":"shortcut","callback_id":"x","user":{"id":"U1"}}"""));

        Assert.Equal(("shortcut", "x"), (unknown.Type, unknown.Raw.GetProperty("callback_id").GetString()));
    }

    [Fact]
    public void SlashCommandIsReadFromTheOfficialFormBody()
    {
        var fields = new FormReader(Fixture.Read("slash_command.form")).ReadForm().ToDictionary(field => field.Key, field => field.Value.ToString());

        var command = SlashCommand.FromForm(fields);

        Assert.NotNull(command);
        Assert.Equal("/webhook-collect", command.Command);
        Assert.Equal("", command.Text);
        Assert.Equal(("U2CERLKJA", "roadrunner"), (command.UserId, command.UserName));
        Assert.Equal(("G8PSS9T3V", "foobar", "T1DC2JH3J"), (command.ChannelId, command.ChannelName, command.TeamId));
        Assert.Equal("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", command.ResponseUrl);
        Assert.Equal("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c", command.TriggerId);
    }

    [Fact]
    public void SlashCommandWithoutCommandFieldIsNotACommand()
    {
        Assert.Null(SlashCommand.FromForm(new Dictionary<string, string> { ["user_id"] = "U1", ["text"] = "hi" }));
    }

    [Fact]
    public void SlashCommandFromSocketModeIsTheSameObjectInJson()
    {
        using var envelope = JsonDocument.Parse(Fixture.Read("socket_envelope_slash_commands.json"));

        var command = envelope.RootElement.GetProperty("payload").Deserialize<SlashCommand>(SlackJson.Options);

        Assert.Equal(("/hello-socket-mode", "U111", "C111"), (command?.Command, command?.UserId, command?.ChannelId));
    }

    private static InteractionPayload? Parse(string json) => JsonSerializer.Deserialize<InteractionPayload>(json, SlackJson.Options);
}
