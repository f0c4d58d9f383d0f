using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentBot.Tests.Support;

/// <summary>Interaction payloads as Slack sends them for a click of a button and the submission of a form.</summary>
public static class SlackPayloads
{
    public static string ButtonClick(string actionId, string blockId, long number, string channel, string messageTs, string user = SlackTestBot.Responder) =>
        new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "alice" },
            ["api_app_id"] = "A0BOT",
            ["team"] = new JsonObject { ["id"] = "T0FAKE" },
            ["trigger_id"] = "1.2.3",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = blockId,
                ["type"] = "button",
                ["value"] = number.ToString(CultureInfo.InvariantCulture),
                ["action_ts"] = "1700000000.000001",
            }),
        }.ToJsonString();

    /// <param name="inputs">Block id → the state of its one input (action id <c>input</c>), e.g. <see cref="Text"/>.</param>
    public static string FormSubmission(string callbackId, string privateMetadata, IReadOnlyDictionary<string, JsonObject> inputs) => new JsonObject
    {
        ["type"] = "view_submission",
        ["user"] = new JsonObject { ["id"] = SlackTestBot.Responder, ["username"] = "alice" },
        ["api_app_id"] = "A0BOT",
        ["team"] = new JsonObject { ["id"] = "T0FAKE" },
        ["view"] = new JsonObject
        {
            ["id"] = "V0FORM",
            ["type"] = "modal",
            ["callback_id"] = callbackId,
            ["private_metadata"] = privateMetadata,
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject(inputs.Select(input =>
                    KeyValuePair.Create(input.Key, (JsonNode?)new JsonObject { ["input"] = input.Value }))),
            },
        },
    }.ToJsonString();

    public static JsonObject Text(string? value) => new() { ["type"] = "plain_text_input", ["value"] = value };

    public static JsonObject User(string? id) => new() { ["type"] = "users_select", ["selected_user"] = id };
}
