using System.Text.Json;

namespace IncidentBot.Testing;

public sealed class FakeChannel(string id, string name, bool isPrivate)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public bool IsPrivate { get; } = isPrivate;
    /// <summary>Who made the channel: the bot for channels made through conversations.create, someone else otherwise.</summary>
    public string Creator { get; init; } = "U0SOMEONE";
    public string Topic { get; set; } = "";
    public bool IsArchived { get; set; }
    public HashSet<string> Members { get; } = [];
    /// <summary>Oldest first.</summary>
    public List<FakeMessage> Messages { get; } = [];
    public HashSet<string> Pins { get; } = [];

    public FakeMessage? Message(string ts) => Messages.FirstOrDefault(message => message.Ts == ts);
}

public sealed class FakeMessage(string ts, string? user, string? text)
{
    public string Ts { get; } = ts;
    public string? User { get; } = user;
    public string? Text { get; set; } = text;
    public string? ThreadTs { get; init; }
    public string? BotId { get; init; }
    public JsonElement? Blocks { get; set; }
    public JsonElement? Metadata { get; init; }

    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;
}

public sealed record FakeUser(string Id, string Name, string RealName, bool IsBot = false);

public sealed record FakeView(string Id, string Type, JsonElement Definition, string? UserId);
