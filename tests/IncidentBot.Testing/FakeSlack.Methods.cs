using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentBot.Testing;

// The Web API methods, answered from the fake's state. Called under the state lock.
public sealed partial class FakeSlack
{
    private long lastTs = 1_700_000_000_000_000;
    private int viewCount;

    private JsonObject Answer(RecordedCall call) => call.Method switch
    {
        "auth.test" => AuthTest(),
        "apps.connections.open" => Ok(new() { ["url"] = SocketMode.IssueUrl() }),
        "conversations.create" => Create(call),
        "conversations.invite" => Invite(call),
        "conversations.join" => Join(call),
        "conversations.setTopic" => SetTopic(call),
        "conversations.info" => WithChannel(call, channel => Ok(new() { ["channel"] = ChannelJson(channel) })),
        "conversations.list" => List(call),
        "conversations.members" => WithChannel(call, channel => Members(channel, call)),
        "conversations.history" => History(call),
        "conversations.replies" => Replies(call),
        "chat.postMessage" => PostMessage(call),
        "chat.postEphemeral" => PostEphemeral(call),
        "chat.update" => Update(call),
        "chat.getPermalink" => Permalink(call),
        "pins.add" => Pin(call),
        "views.open" => OpenView(call),
        "views.publish" => PublishView(call),
        "views.update" => UpdateView(call),
        "users.info" => UserInfo(call),
        _ => Error("unknown_method"),
    };

    private JsonObject AuthTest() => Ok(new()
    {
        ["url"] = "https://fake.slack.com/",
        ["team"] = "Fake Workspace",
        ["user"] = "incident-bot",
        ["team_id"] = TeamId,
        ["user_id"] = BotUserId,
        ["bot_id"] = BotId,
        ["is_enterprise_install"] = false,
    });

    private JsonObject Create(RecordedCall call)
    {
        var name = call.Arg("name") ?? "";
        if (NameError(name) is { } error)
        {
            return Error(error);
        }

        if (Channels.Values.Any(channel => channel.Name == name))
        {
            return Error("name_taken");
        }

        var created = new FakeChannel($"C{Channels.Count + 1:D8}", name, call.Arg("is_private") == "true") { Creator = BotUserId };
        created.Members.Add(BotUserId);
        Channels[created.Id] = created;
        return Ok(new() { ["channel"] = ChannelJson(created) });
    }

    private static string? NameError(string name) => name switch
    {
        "" => "invalid_name_required",
        { Length: > 80 } => "invalid_name_maxlength",
        _ when !ChannelName().IsMatch(name) => "invalid_name_specials",
        _ => null,
    };

    private JsonObject Invite(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        var users = (call.Arg("users") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (users.Length == 0)
        {
            return Error("no_user");
        }

        if (users.Contains(BotUserId))
        {
            return Error("cant_invite_self");
        }

        if (users.All(channel.Members.Contains))
        {
            return Error("already_in_channel");
        }

        channel.Members.UnionWith(users);
        return Ok(new() { ["channel"] = ChannelJson(channel) });
    });

    private JsonObject Join(RecordedCall call) => WithChannel(call, channel =>
    {
        if (channel.IsPrivate)
        {
            return Error("method_not_supported_for_channel_type");
        }

        channel.Members.Add(BotUserId);
        return Ok(new() { ["channel"] = ChannelJson(channel) });
    });

    private JsonObject SetTopic(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        channel.Topic = call.Arg("topic") ?? "";
        return Ok(new() { ["channel"] = ChannelJson(channel) });
    });

    private JsonObject List(RecordedCall call)
    {
        var types = (call.Arg("types") ?? "public_channel").Split(',', StringSplitOptions.TrimEntries);
        var channels = Channels.Values
            .Where(channel => call.Arg("exclude_archived") != "true" || !channel.IsArchived)
            .Where(channel => types.Contains(channel.IsPrivate ? "private_channel" : "public_channel") && IsVisibleToBot(channel))
            .ToList();
        var (page, nextCursor) = Page(channels, call);
        return Ok(new()
        {
            ["channels"] = new JsonArray([.. page.Select(ChannelJson)]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = nextCursor },
        });
    }

    private JsonObject Members(FakeChannel channel, RecordedCall call)
    {
        var (page, nextCursor) = Page(channel.Members.Order(StringComparer.Ordinal).ToList(), call);
        return Ok(new()
        {
            ["members"] = new JsonArray([.. page.Select(member => JsonValue.Create(member))]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = nextCursor },
        });
    }

    /// <summary>Parents only, newest first, after <c>oldest</c> (exclusive, as Slack's default); parents carry reply_count and latest_reply.</summary>
    private JsonObject History(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        var oldest = call.Arg("oldest");
        var newestFirst = channel.Messages
            .Where(message => !message.IsReply && (oldest is null || string.CompareOrdinal(message.Ts, oldest) > 0))
            .Reverse()
            .ToList();
        var (page, nextCursor) = Page(newestFirst, call);
        return Ok(new()
        {
            ["messages"] = new JsonArray([.. page.Select(message => WithThread(channel, message))]),
            ["has_more"] = nextCursor.Length > 0,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = nextCursor },
        });
    });

    private static JsonObject WithThread(FakeChannel channel, FakeMessage parent)
    {
        var json = MessageJson(parent);
        var replies = channel.Messages.Where(message => message.ThreadTs == parent.Ts && message.Ts != parent.Ts).ToList();
        if (replies.Count > 0)
        {
            json["thread_ts"] = parent.Ts;
            json["reply_count"] = replies.Count;
            json["latest_reply"] = replies[^1].Ts;
        }

        return json;
    }

    private JsonObject Replies(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        var parentTs = call.Arg("ts");
        if (channel.Message(parentTs ?? "") is null)
        {
            return Error("thread_not_found");
        }

        var thread = channel.Messages.Where(message => message.Ts == parentTs || message.ThreadTs == parentTs).ToList();
        return MessagesPage(thread, call);
    });

    private JsonObject PostMessage(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        if (string.IsNullOrEmpty(call.Arg("text")) && call.Arg("blocks") is null)
        {
            return Error("no_text");
        }

        var message = new FakeMessage(NextTs(), BotUserId, call.Arg("text"))
        {
            ThreadTs = call.Arg("thread_ts"),
            BotId = BotId,
            Blocks = Blocks(call),
            Metadata = call.Body.ValueKind == JsonValueKind.Object && call.Body.TryGetProperty("metadata", out var metadata) ? metadata.Clone() : null,
        };
        channel.Messages.Add(message);
        return Ok(new() { ["channel"] = channel.Id, ["ts"] = message.Ts, ["message"] = MessageJson(message) });
    });

    private JsonObject PostEphemeral(RecordedCall call) => WithChannel(call, channel =>
        channel.Members.Contains(call.Arg("user") ?? "")
            ? Ok(new() { ["message_ts"] = NextTs() })
            : Error("user_not_in_channel"));

    private JsonObject Update(RecordedCall call) => WithMessage(call, "ts", (channel, message) =>
    {
        message.Text = call.Arg("text");
        // As Slack does: text without blocks removes the blocks.
        message.Blocks = Blocks(call);
        return Ok(new() { ["channel"] = channel.Id, ["ts"] = message.Ts, ["text"] = message.Text });
    });

    private JsonObject Permalink(RecordedCall call) => WithMessage(call, "message_ts", (channel, message) => Ok(new()
    {
        ["channel"] = channel.Id,
        ["permalink"] = $"https://fake.slack.com/archives/{channel.Id}/p{message.Ts.Replace(".", "", StringComparison.Ordinal)}",
    }));

    private JsonObject Pin(RecordedCall call) => WithMemberChannel(call, channel =>
    {
        var ts = call.Arg("timestamp") ?? "";
        if (channel.Message(ts) is null)
        {
            return Error("message_not_found");
        }

        return channel.Pins.Add(ts) ? Ok([]) : Error("already_pinned");
    });

    private JsonObject OpenView(RecordedCall call) =>
        string.IsNullOrEmpty(call.Arg("trigger_id")) ? Error("invalid_trigger_id") : SaveView(call, $"V{++viewCount:D6}", null);

    private JsonObject PublishView(RecordedCall call)
    {
        var userId = call.Arg("user_id") ?? "";
        var existing = Views.Values.FirstOrDefault(view => view.UserId == userId && view.Type == "home");
        return SaveView(call, existing?.Id ?? $"V{++viewCount:D6}", userId);
    }

    private JsonObject UpdateView(RecordedCall call)
    {
        var viewId = call.Arg("view_id") ?? "";
        return Views.ContainsKey(viewId) ? SaveView(call, viewId, Views[viewId].UserId) : Error("not_found");
    }

    private JsonObject SaveView(RecordedCall call, string id, string? userId)
    {
        if (!call.Body.TryGetProperty("view", out var definition) || definition.ValueKind != JsonValueKind.Object)
        {
            return Error("invalid_arguments");
        }

        var type = definition.TryGetProperty("type", out var typeProperty) ? typeProperty.GetString() ?? "" : "";
        Views[id] = new FakeView(id, type, definition.Clone(), userId);
        var view = JsonNode.Parse(definition.GetRawText())!.AsObject();
        view["id"] = id;
        view["team_id"] = TeamId;
        return Ok(new() { ["view"] = view });
    }

    private JsonObject UserInfo(RecordedCall call) => Users.TryGetValue(call.Arg("user") ?? "", out var user)
        ? Ok(new()
        {
            ["user"] = new JsonObject
            {
                ["id"] = user.Id,
                ["team_id"] = TeamId,
                ["name"] = user.Name,
                ["real_name"] = user.RealName,
                ["is_bot"] = user.IsBot,
                ["deleted"] = false,
                ["profile"] = new JsonObject { ["real_name"] = user.RealName, ["display_name"] = user.Name },
            },
        })
        : Error("user_not_found");

    /// <summary>As Slack: a private channel does not exist for a bot that is not in it.</summary>
    private JsonObject WithChannel(RecordedCall call, Func<FakeChannel, JsonObject> answer)
    {
        var key = call.Arg("channel") ?? "";
        var channel = Channels.GetValueOrDefault(key) ?? Channels.Values.FirstOrDefault(candidate => candidate.Name == key.TrimStart('#'))
            ?? DirectMessages(key);
        return channel is null || !IsVisibleToBot(channel) ? Error("channel_not_found") : answer(channel);
    }

    private bool IsVisibleToBot(FakeChannel channel) => !channel.IsPrivate || channel.Members.Contains(BotUserId);

    /// <summary>As Slack does, a user id as the channel means the app's direct messages with that person, opened on first use.</summary>
    private FakeChannel? DirectMessages(string userId)
    {
        if (!Users.ContainsKey(userId))
        {
            return null;
        }

        var id = "D" + userId;
        if (!Channels.TryGetValue(id, out var channel))
        {
            Channels[id] = channel = new FakeChannel(id, userId, isPrivate: true);
            channel.Members.UnionWith([BotUserId, userId]);
        }

        return channel;
    }

    private JsonObject WithMemberChannel(RecordedCall call, Func<FakeChannel, JsonObject> answer) =>
        WithChannel(call, channel => channel.Members.Contains(BotUserId) ? answer(channel) : Error("not_in_channel"));

    private JsonObject WithMessage(RecordedCall call, string tsArgument, Func<FakeChannel, FakeMessage, JsonObject> answer) =>
        WithChannel(call, channel => channel.Message(call.Arg(tsArgument) ?? "") is { } message
            ? answer(channel, message)
            : Error("message_not_found"));

    private JsonObject MessagesPage(List<FakeMessage> messages, RecordedCall call)
    {
        var (page, nextCursor) = Page(messages, call);
        return Ok(new()
        {
            ["messages"] = new JsonArray([.. page.Select(MessageJson)]),
            ["has_more"] = nextCursor.Length > 0,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = nextCursor },
        });
    }

    /// <summary>Cursors are opaque to clients; here they are just an encoded offset. "" marks the last page, as in Slack.</summary>
    private static (List<T> Page, string NextCursor) Page<T>(List<T> items, RecordedCall call)
    {
        var offset = call.Arg("cursor") is { Length: > 0 } cursor
            ? int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor))[7..], CultureInfo.InvariantCulture)
            : 0;
        var limit = int.TryParse(call.Arg("limit"), CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 100;
        var page = items.Skip(offset).Take(limit).ToList();
        var next = offset + limit < items.Count
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"offset:{offset + limit}"))
            : "";
        return (page, next);
    }

    private JsonObject ChannelJson(FakeChannel channel) => new()
    {
        ["id"] = channel.Id,
        ["name"] = channel.Name,
        ["is_channel"] = !channel.IsPrivate,
        ["is_private"] = channel.IsPrivate,
        ["is_archived"] = channel.IsArchived,
        ["is_member"] = channel.Members.Contains(BotUserId),
        ["creator"] = channel.Creator,
        ["num_members"] = channel.Members.Count,
        ["topic"] = new JsonObject { ["value"] = channel.Topic, ["creator"] = "", ["last_set"] = 0 },
    };

    private static JsonObject MessageJson(FakeMessage message)
    {
        var json = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text, ["user"] = message.User };
        if (message.ThreadTs is not null)
        {
            json["thread_ts"] = message.ThreadTs;
        }

        if (message.BotId is not null)
        {
            json["bot_id"] = message.BotId;
        }

        if (message.Blocks is { } blocks)
        {
            json["blocks"] = JsonNode.Parse(blocks.GetRawText());
        }

        if (message.Metadata is { } metadata)
        {
            json["metadata"] = JsonNode.Parse(metadata.GetRawText());
        }

        return json;
    }

    private static JsonElement? Blocks(RecordedCall call) =>
        call.Body.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array ? blocks.Clone() : null;

    private string NextTs()
    {
        lastTs += 100;
        return (lastTs / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (lastTs % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static JsonObject Ok(JsonObject fields)
    {
        var answer = new JsonObject { ["ok"] = true };
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            answer[key] = value;
        }

        return answer;
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex ChannelName();
}
