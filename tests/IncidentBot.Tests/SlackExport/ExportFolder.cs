using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Models;

namespace IncidentBot.Tests.SlackExport;

/// <summary>A Slack workspace export written by a test in a temp folder, in the standard layout; deleted afterwards.</summary>
public sealed class ExportFolder : IDisposable
{
    private readonly string root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "incidentbot-tests", "export-" + Guid.NewGuid().ToString("N"));

    public ExportFolder()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path => System.IO.Path.Combine(root, "export");

    /// <summary>A channel of <c>channels.json</c>.</summary>
    public static JsonObject Channel(string id, string name, string? topic = null, string? purpose = null, string creator = "U0ALICE") => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["created"] = 1_700_000_000,
        ["creator"] = creator,
        ["is_archived"] = true,
        ["topic"] = new JsonObject { ["value"] = topic ?? "", ["creator"] = creator, ["last_set"] = 0 },
        ["purpose"] = new JsonObject { ["value"] = purpose ?? "", ["creator"] = creator, ["last_set"] = 0 },
    };

    public static JsonObject User(string id, string name, string realName, string displayName = "") => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["real_name"] = realName,
        ["profile"] = new JsonObject { ["real_name"] = realName, ["display_name"] = displayName },
    };

    /// <summary>A message at <paramref name="at"/>; its ts is that time.</summary>
    public static JsonObject Message(string user, string text, DateTimeOffset at, DateTimeOffset? thread = null, DateTimeOffset? editedAt = null)
    {
        var message = new JsonObject { ["type"] = "message", ["user"] = user, ["text"] = text, ["ts"] = Ts(at) };
        if (thread is { } parent)
        {
            message["thread_ts"] = Ts(parent);
            message["parent_user_id"] = user;
        }

        if (editedAt is { } edited)
        {
            message["edited"] = new JsonObject { ["user"] = user, ["ts"] = Ts(edited) };
        }

        return message;
    }

    public static string Ts(DateTimeOffset at) => SlackTs.FromDateTimeOffset(at).Value;

    public void Channels(params JsonObject[] channels) => Write("channels.json", new JsonArray(channels).ToJsonString());

    public void Users(params JsonObject[] users) => Write("users.json", new JsonArray(users).ToJsonString());

    public void Day(string channel, string day, params JsonObject[] messages) =>
        Write($"{channel}/{day}.json", new JsonArray(messages).ToJsonString());

    public void Write(string file, string text)
    {
        var path = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>The export as Slack hands it out: one zip file.</summary>
    public string Zip()
    {
        var zip = System.IO.Path.Combine(root, "export.zip");
        File.Delete(zip);
        ZipFile.CreateFromDirectory(Path, zip);
        return zip;
    }

    /// <summary>
    /// A large export: <paramref name="channels"/> incident channels of <paramref name="messagesPerChannel"/> messages each over
    /// five days, every tenth message a reply in a thread, every seventh edited.
    /// </summary>
    public void Generate(int channels, int messagesPerChannel, DateTimeOffset start)
    {
        var users = Enumerable.Range(0, 20).Select(i => User($"U{i:D4}", $"user{i}", $"Person {i}")).ToArray();
        Users(users);
        var list = new List<JsonObject>();
        var options = new JsonWriterOptions { Indented = false };
        for (var c = 0; c < channels; c++)
        {
            var name = $"incident-{c + 1}-service-{c % 37}-outage";
            list.Add(Channel($"CGEN{c:D5}", name, purpose: $"Service {c % 37} returned errors to customers"));
            var channelStart = start.AddDays(c);
            var perDay = (messagesPerChannel + 4) / 5;
            for (var day = 0; day * perDay < messagesPerChannel; day++)
            {
                var path = System.IO.Path.Combine(Path, name, $"{channelStart.AddDays(day):yyyy-MM-dd}.json");
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
                using var stream = File.Create(path);
                using var writer = new Utf8JsonWriter(stream, options);
                writer.WriteStartArray();
                for (var m = day * perDay; m < Math.Min(messagesPerChannel, (day + 1) * perDay); m++)
                {
                    var at = channelStart.AddDays(day).AddSeconds(m);
                    var message = Message(
                        $"U{m % 20:D4}",
                        $"Step {m} on service {c % 37}: checked the connection pool, latency {m % 900} ms, error rate {m % 13} percent",
                        at,
                        thread: m % 10 == 9 ? channelStart.AddDays(day).AddSeconds(day * perDay) : null,
                        editedAt: m % 7 == 6 ? at.AddMinutes(1) : null);
                    message.WriteTo(writer);
                }

                writer.WriteEndArray();
            }
        }

        Channels([.. list]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
