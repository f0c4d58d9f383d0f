using System.Text.Json;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackExport;

/// <summary>A channel as <c>channels.json</c> (public) or <c>groups.json</c> (private) lists it.</summary>
public sealed record ExportChannel
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }
    public string? Creator { get; init; }
    public bool IsArchived { get; init; }
    public ExportChannelText? Topic { get; init; }
    public ExportChannelText? Purpose { get; init; }
}

public sealed record ExportChannelText(string? Value);

/// <summary>A message of a day file, with the name of its author as the export gave it alongside (<c>user_profile</c>).</summary>
public sealed record ExportMessage(SlackMessage Message, string? AuthorName);

/// <summary>A file of the export that could not be read, where it is and why.</summary>
public sealed record BadExportFile(string Path, string Problem);

/// <summary>Reads the JSON files of an export (<see cref="SlackExportArchive"/>): the channels, the people, a channel's messages.</summary>
public sealed class SlackExportContents(SlackExportArchive archive)
{
    public const string ChannelsFile = "channels.json";

    /// <summary>Public channels, then private ones (only in exports of all conversations).</summary>
    /// <exception cref="InvalidDataException"><c>channels.json</c> is missing or unreadable: this is not an export.</exception>
    public IReadOnlyList<ExportChannel> ReadChannels(List<BadExportFile> bad)
    {
        if (!archive.Exists(ChannelsFile))
        {
            throw new InvalidDataException($"{archive.Describe(ChannelsFile)} is missing: not a Slack workspace export.");
        }

        var channels = Read<List<ExportChannel>>(ChannelsFile, bad)
            ?? throw new InvalidDataException($"{bad[^1].Path} cannot be read: {bad[^1].Problem}");
        var groups = archive.Exists("groups.json") ? Read<List<ExportChannel>>("groups.json", bad) ?? [] : [];
        return [.. channels.Concat(groups).Where(c => c.Id.Length > 0 && c.Name.Length > 0)];
    }

    /// <summary>Each person's name by user id, from <c>users.json</c> (<c>org_users.json</c> on Enterprise Grid).</summary>
    public IReadOnlyDictionary<string, string> ReadUserNames(List<BadExportFile> bad)
    {
        var file = new[] { "users.json", "org_users.json" }.FirstOrDefault(archive.Exists);
        var users = file is null ? [] : Read<List<SlackUser>>(file, bad) ?? [];
        return users
            .Where(u => u.Id.Length > 0 && NameOf(u) is not null)
            .GroupBy(u => u.Id)
            .ToDictionary(g => g.Key, g => NameOf(g.First())!);
    }

    /// <summary>Every message of the channel's day files; a file that cannot be read is added to <paramref name="bad"/> and skipped.</summary>
    public IReadOnlyList<ExportMessage> ReadMessages(ExportChannel channel, List<BadExportFile> bad)
    {
        var messages = new List<ExportMessage>();
        foreach (var day in archive.DayFiles(channel.Name))
        {
            if (Read<List<JsonElement>>(day, bad) is not { } elements)
            {
                continue;
            }

            try
            {
                messages.AddRange(elements.Select(e => new ExportMessage(e.Deserialize<SlackMessage>(SlackJson.Options)!, AuthorOf(e))));
            }
            catch (JsonException e)
            {
                bad.Add(new BadExportFile(archive.Describe(day), e.Message));
            }
        }

        return messages;
    }

    private T? Read<T>(string file, List<BadExportFile> bad)
        where T : class
    {
        try
        {
            using var stream = archive.Read(file);
            return JsonSerializer.Deserialize<T>(stream, SlackJson.Options) ?? throw new JsonException("The file holds null.");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            bad.Add(new BadExportFile(archive.Describe(file), e.Message));
            return null;
        }
    }

    private static string? NameOf(SlackUser user) =>
        FirstName(user.Profile?.DisplayName, user.RealName, user.Profile?.RealName, user.Name);

    private static string? AuthorOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("user_profile", out var profile) && profile.ValueKind == JsonValueKind.Object
            ? FirstName(Text(profile, "display_name"), Text(profile, "real_name"), Text(profile, "name"))
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? FirstName(params string?[] names) => names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim();
}
