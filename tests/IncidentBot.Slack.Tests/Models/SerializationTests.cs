using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Models;

public sealed class SerializationTests
{
    [Fact]
    public void AnIncidentCardSerialisesToSlacksBlockKitJson()
    {
        Block[] blocks =
        [
            new HeaderBlock(TextObject.Plain("Incident #42: API latency")),
            new SectionBlock
            {
                BlockId = "summary",
                Text = TextObject.Markdown("*Severity:* SEV2"),
                Fields = [TextObject.Markdown("*Status*\nInvestigating")],
            },
            new ContextBlock([TextObject.Markdown("Declared")]),
            new DividerBlock(),
            new ActionsBlock(
            [
                new ButtonElement(TextObject.Plain("Acknowledge")) { ActionId = "ack", Value = "42", Style = "primary" },
                new StaticSelectElement([SelectOption.Plain("SEV1", "sev1")]) { ActionId = "sev", Placeholder = TextObject.Plain("Severity") },
            ]) { BlockId = "inc_actions" },
        ];

        var json = JsonSerializer.SerializeToNode(blocks, SlackJson.Options);

        var expected = JsonNode.Parse("""
            [
              {"type":"header","text":{"type":"plain_text","text":"Incident #42: API latency"}},
              {"type":"section","block_id":"summary","text":{"type":"mrkdwn","text":"*Severity:* SEV2"},
               "fields":[{"type":"mrkdwn","text":"*Status*\nInvestigating"}]},
              {"type":"context","elements":[{"type":"mrkdwn","text":"Declared"}]},
              {"type":"divider"},
              {"type":"actions","block_id":"inc_actions","elements":[
                {"type":"button","action_id":"ack","text":{"type":"plain_text","text":"Acknowledge"},"value":"42","style":"primary"},
                {"type":"static_select","action_id":"sev","options":[{"text":{"type":"plain_text","text":"SEV1"},"value":"sev1"}],
                 "placeholder":{"type":"plain_text","text":"Severity"}}]}
            ]
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json?.ToJsonString());
    }

    [Fact]
    public void AModalWithInputsSerialisesWithTypeAndCallbackId()
    {
        var modal = new ModalView(TextObject.Plain("Declare"),
        [
            new InputBlock(TextObject.Plain("Title"), new PlainTextInputElement { ActionId = "title" }) { BlockId = "title_block" },
            new InputBlock(TextObject.Plain("Commander"), new UsersSelectElement { ActionId = "commander" }) { BlockId = "commander_block", Optional = true },
            new InputBlock(TextObject.Plain("Services"), new MultiStaticSelectElement([SelectOption.Plain("API", "api")]) { ActionId = "services" }),
        ])
        {
            CallbackId = "declare",
            Submit = TextObject.Plain("Declare"),
            PrivateMetadata = "C123",
        };

        var json = JsonSerializer.SerializeToElement(modal, SlackJson.Options);

        Assert.Equal("modal", json.GetProperty("type").GetString());
        Assert.Equal("declare", json.GetProperty("callback_id").GetString());
        Assert.Equal("C123", json.GetProperty("private_metadata").GetString());
        var inputs = json.GetProperty("blocks");
        Assert.Equal("plain_text_input", inputs[0].GetProperty("element").GetProperty("type").GetString());
        Assert.Equal("users_select", inputs[1].GetProperty("element").GetProperty("type").GetString());
        Assert.True(inputs[1].GetProperty("optional").GetBoolean());
        Assert.Equal("multi_static_select", inputs[2].GetProperty("element").GetProperty("type").GetString());
        Assert.False(json.TryGetProperty("close", out _), "null fields are left out");
    }

    [Fact]
    public void ViewSubmissionErrorsSerialiseLikeTheDocumentedAck()
    {
        var response = ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["email_address"] = "Sorry, this isn’t a valid email" });

        var json = JsonSerializer.SerializeToNode(response, SlackJson.Options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture.Read("view_submission_errors_response.json")), json), json?.ToJsonString());
    }

    [Fact]
    public void BlockIdKeysOfErrorsAreNotRenamed()
    {
        var response = ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["TitleBlock"] = "Required" });

        var json = JsonSerializer.SerializeToElement(response, SlackJson.Options);

        Assert.Equal("Required", json.GetProperty("errors").GetProperty("TitleBlock").GetString());
    }

    [Fact]
    public void AnEphemeralSlashCommandResponseIsTheDocumentedAckPayload()
    {
        var json = JsonSerializer.SerializeToNode(SlashCommandResponse.Ephemeral("Incident form opening..."), SlackJson.Options);

        var expected = JsonNode.Parse(Fixture.Read("socket_ack_slash_command_with_payload.json"))!["payload"];
        Assert.True(JsonNode.DeepEquals(expected, json), json?.ToJsonString());
    }

    [Fact]
    public void AWebApiErrorEnvelopeIsReadAsNotOk()
    {
        var response = JsonSerializer.Deserialize<SlackResponse>(Fixture.Read("web_api_error.json"), SlackJson.Options);

        Assert.Equal((false, "name_taken"), (response?.Ok, response?.Error));
    }

    [Fact]
    public void AChatMessageSerialisesWithSnakeCaseArguments()
    {
        var message = new ChatMessage("C1", "hello") { ThreadTs = "1.000", UnfurlLinks = false };

        var json = JsonSerializer.SerializeToNode(message, SlackJson.Options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"channel":"C1","text":"hello","thread_ts":"1.000","unfurl_links":false}"""), json), json?.ToJsonString());
    }
}
