using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

public sealed class InteractionTests : IAsyncLifetime
{
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task TheCardOfAnActiveIncidentOffersItsButtons()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);

        var card = await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel.Id && c.Body.TryGetProperty("blocks", out _));

        var blocks = card.Body.GetProperty("blocks").GetRawText();
        foreach (var actionId in new[] { CardActions.MarkStable, CardActions.Resolve, CardActions.ChangeSeverity, CardActions.Summary })
        {
            Assert.Contains(actionId, blocks);
        }

        Assert.DoesNotContain(CardActions.DraftPostmortem, blocks);
        Assert.Contains($"{CardActions.BlockIdPrefix}{number}", blocks);
    }

    [Fact]
    public async Task MarkStableFromTheCardChangesTheIncidentOnceEvenWhenDoubleClicked()
    {
        var (number, channel, cardTs) = await DeclaredWithCardAsync();
        var click = BlockAction(CardActions.MarkStable, number, channel, cardTs);

        var first = await slack.SendAsync(slack.Signer.Interaction(click));
        var second = await slack.SendAsync(slack.Signer.Interaction(click));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("text")!.Contains("to *stable*"));
        await slack.DrainAsync(number, channel);
        Assert.Equal("stable", (await slack.IncidentAsync(number)).GetProperty("status").GetString());
        Assert.Single(await slack.TimelineAsync(number), e => e.GetProperty("type").GetString() == "status_changed");
        Assert.Empty(slack.Slack.CallsTo("chat.postEphemeral"));
    }

    [Fact]
    public async Task TheSeveritySelectChangesTheSeverity()
    {
        var (number, channel, cardTs) = await DeclaredWithCardAsync();

        await slack.SendAsync(slack.Signer.Interaction(BlockAction(CardActions.ChangeSeverity, number, channel, cardTs, selected: "SEV-1")));

        await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("text")!.Contains("to *SEV-1*"));
        Assert.Equal("SEV-1", (await slack.IncidentAsync(number)).GetProperty("severity").GetString());
    }

    [Fact]
    public async Task ResolveFromTheCardResolvesAndTheCardThenOffersAPostmortem()
    {
        var (number, channel, cardTs) = await DeclaredWithCardAsync();

        await slack.SendAsync(slack.Signer.Interaction(BlockAction(CardActions.Resolve, number, channel, cardTs)));

        var update = await slack.Slack.WaitForCallAsync("chat.update", c => c.Body.GetProperty("blocks").GetRawText().Contains(CardActions.DraftPostmortem));
        Assert.DoesNotContain(CardActions.MarkStable, update.Body.GetProperty("blocks").GetRawText());
        Assert.Equal("resolved", (await slack.IncidentAsync(number)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AClickBySomeoneOutsideTheChannelIsRefusedPolitely()
    {
        var (number, channel, cardTs) = await DeclaredWithCardAsync();

        await slack.SendAsync(slack.Signer.Interaction(BlockAction(CardActions.Resolve, number, channel, cardTs, user: "U0STRANGER")));

        var refusal = await slack.Slack.WaitForCallAsync("chat.postEphemeral");
        Assert.Equal("U0STRANGER", refusal.Arg("user"));
        Assert.Contains("Join the channel", refusal.Arg("text"));
        Assert.Equal("active", (await slack.IncidentAsync(number)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AForgedClickIsRefusedAndChangesNothing()
    {
        var (number, channel, cardTs) = await DeclaredWithCardAsync();
        var forger = new IncidentBot.Testing.SlackRequestSigner("not-the-secret");

        var response = await slack.SendAsync(forger.Interaction(BlockAction(CardActions.Resolve, number, channel, cardTs)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("active", (await slack.IncidentAsync(number)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DeclareWithoutATitleOpensTheModal()
    {
        var response = await slack.CommandAsync("declare");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var open = await slack.Slack.WaitForCallAsync("views.open");
        Assert.Equal("1.2.3", open.Arg("trigger_id"));
        var view = open.Body.GetProperty("view");
        Assert.Equal(DeclareModal.CallbackId, view.GetProperty("callback_id").GetString());
        Assert.Equal(slack.Ops.Id, view.GetProperty("private_metadata").GetString());
    }

    [Fact]
    public async Task AValidModalSubmissionDeclaresTheIncident()
    {
        var response = await slack.SendAsync(slack.Signer.Interaction(Submission("Search latency over 2s", "SEV-2", "U0CAROL", "search, Search-API")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var incident = await slack.IncidentAsync(1);
        Assert.Equal("Search latency over 2s", incident.GetProperty("title").GetString());
        Assert.Equal("SEV-2", incident.GetProperty("severity").GetString());
        Assert.Equal("U0CAROL", incident.GetProperty("commanderId").GetString());
        Assert.Equal(["search", "search-api"], incident.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        var channel = await slack.ChannelOfAsync(1);
        await slack.Slack.WaitForCallAsync("conversations.invite", c => c.Arg("channel") == channel.Id && c.Body.GetRawText().Contains("U0CAROL"));
        var confirmation = await slack.Slack.WaitForCallAsync("chat.postEphemeral");
        Assert.Equal(slack.Ops.Id, confirmation.Arg("channel"));
    }

    [Fact]
    public async Task TheModalsPrivateBoxDeclaresAPrivateIncidentInAPrivateChannel()
    {
        await slack.SendAsync(slack.Signer.Interaction(Submission("Payroll ledger mismatch", "SEV-1", SlackTestBot.Responder, "", isPrivate: true)));

        Assert.True((await slack.IncidentAsync(1)).GetProperty("private").GetBoolean());
        Assert.True((await slack.ChannelOfAsync(1)).IsPrivate);
    }

    [Fact]
    public async Task AnInvalidModalSubmissionShowsErrorsInTheModalAndDeclaresNothing()
    {
        var response = await slack.SendAsync(slack.Signer.Interaction(Submission("   ", "SEV-2", "U0CAROL", "")));

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        Assert.Contains("title", answer.GetProperty("errors").GetProperty(DeclareModal.TitleBlock).GetString(), StringComparison.OrdinalIgnoreCase);
        var list = await TestBot.ReadSuccessAsync(await slack.Bot.Client.GetAsync("/api/incidents"));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task BadServicesInTheModalAreShownOnTheServicesField()
    {
        var tooMany = string.Join(",", Enumerable.Range(0, 31).Select(i => $"s{i}"));

        var response = await slack.SendAsync(slack.Signer.Interaction(Submission("Checkout down", "SEV-2", "U0CAROL", tooMany)));

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("errors").TryGetProperty(DeclareModal.ServicesBlock, out _));
    }

    [Fact]
    public async Task OpeningAppHomePublishesOpenIncidentsAndTheViewersOwn()
    {
        await slack.DeclareAsync("Checkout API errors sev1");
        await slack.Bot.DeclareAsync(new { title = "Search slow", severity = "sev3" });
        await slack.Bot.DeclareAsync(new { title = "Old outage", status = "resolved", declaredBy = SlackTestBot.Responder });

        await slack.EventAsync(new { type = "app_home_opened", user = SlackTestBot.Responder, channel = "D0HOME", tab = "home" });

        var publish = await slack.Slack.WaitForCallAsync("views.publish");
        Assert.Equal(SlackTestBot.Responder, publish.Arg("user_id"));
        var blocks = publish.Body.GetProperty("view").GetProperty("blocks").GetRawText();
        Assert.Contains("Open incidents (2)", blocks);
        Assert.Contains("INC-1: Checkout API errors", blocks);
        Assert.Contains("INC-2: Search slow", blocks);
        Assert.Contains("INC-3: Old outage", blocks);
        Assert.Contains("Your recent incidents", blocks);
    }

    private async Task<(long Number, string Channel, string CardTs)> DeclaredWithCardAsync()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);
        var pin = await slack.Slack.WaitForCallAsync("pins.add");
        return (number, channel.Id, pin.Arg("timestamp")!);
    }

    private static string BlockAction(string actionId, long number, string channel, string messageTs, string user = SlackTestBot.Responder, string? selected = null)
    {
        var action = new JsonObject
        {
            ["action_id"] = actionId,
            ["block_id"] = $"{CardActions.BlockIdPrefix}{number}",
            ["type"] = selected is null ? "button" : "static_select",
            ["value"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["action_ts"] = "1700000000.000001",
        };
        if (selected is not null)
        {
            action["selected_option"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = selected }, ["value"] = selected };
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "someone" },
            ["api_app_id"] = "A0BOT",
            ["team"] = new JsonObject { ["id"] = "T0FAKE" },
            ["trigger_id"] = "1.2.3",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["actions"] = new JsonArray(action),
        }.ToJsonString();
    }

    private string Submission(string title, string severity, string commander, string services, bool isPrivate = false)
    {
        JsonObject Input(string type, string key, JsonNode? value) => new() { ["input"] = new JsonObject { ["type"] = type, [key] = value } };
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new JsonObject { ["id"] = SlackTestBot.Responder, ["username"] = "alice" },
            ["api_app_id"] = "A0BOT",
            ["team"] = new JsonObject { ["id"] = "T0FAKE" },
            ["view"] = new JsonObject
            {
                ["id"] = "V0MODAL",
                ["type"] = "modal",
                ["callback_id"] = DeclareModal.CallbackId,
                ["private_metadata"] = slack.Ops.Id,
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        [DeclareModal.TitleBlock] = Input("plain_text_input", "value", title),
                        [DeclareModal.SeverityBlock] = Input("static_select", "selected_option",
                            new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = severity }, ["value"] = severity }),
                        [DeclareModal.CommanderBlock] = Input("users_select", "selected_user", commander),
                        [DeclareModal.ServicesBlock] = Input("plain_text_input", "value", services),
                        [DeclareModal.DescriptionBlock] = Input("plain_text_input", "value", null),
                        [DeclareModal.PrivateBlock] = Input("checkboxes", "selected_options", new JsonArray(isPrivate
                            ? [new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Private" }, ["value"] = DeclareModal.PrivateOption }]
                            : [])),
                    },
                },
            },
        }.ToJsonString();
    }
}
