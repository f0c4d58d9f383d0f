using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;
using IncidentBot.SlackApp;

namespace IncidentBot.SlackExport;

/// <summary>
/// How an exported incident channel reads as a past incident. Pure: number and title from the channel's name (or its
/// topic or purpose), severity and the time of resolution from the topic when it says them, declared at the first
/// message and resolved at the last; each message through <see cref="SlackMessageEntries"/>, as a live one would be.
/// </summary>
public static partial class ChannelIncidents
{
    public const string Source = "slack-export";

    /// <summary>The incident number in a channel's name: <c>incident-123-db-outage</c> is 123.</summary>
    public static long? NumberOf(string channelName) =>
        NumberedName().Match(channelName) is { Success: true } match && long.TryParse(match.Groups["number"].Value, out var number) && number > 0
            ? number
            : null;

    /// <summary>Null when the channel has no message to tell (an empty channel is no incident).</summary>
    /// <param name="workspaceUrl">Where the workspace is, for the messages' permalinks; none without it.</param>
    public static IncidentImport? From(
        ExportChannel channel, IReadOnlyList<ExportMessage> messages, IReadOnlyDictionary<string, string> names, Uri? workspaceUrl)
    {
        // Nobody is the bot here: every message of the export is kept, the bot's own ones labelled as a bot's.
        var reader = new BotIdentity("", null, "", workspaceUrl ?? new Uri("https://slack.com/"));
        var entries = messages
            .Where(m => SlackTs.TryParse(m.Message.Ts, out _) && m.Message.Subtype != "tombstone")
            .OrderBy(m => SlackTs.Parse(m.Message.Ts))
            .Select(m => ToEntry(channel, m, names, reader, workspaceUrl is not null))
            .OfType<ImportedMessage>()
            .ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var topic = Unescaped(channel.Topic?.Value);
        var purpose = Unescaped(channel.Purpose?.Value);
        var declaredAt = entries[0].Entry.OccurredAt;
        var lastAt = entries.Max(e => e.EditedAt ?? e.Entry.OccurredAt);
        var draft = new IncidentDraft
        {
            Title = TitleOf(channel.Name, topic, purpose),
            Severity = SeverityOf(topic) ?? SeverityOf(purpose) ?? Severity.Unknown,
            Description = purpose is null ? null : SlackText.Truncate(purpose, IncidentFieldRules.MaxDetailLength),
            DeclaredBy = IncidentFieldRules.UserId(channel.Creator, "creator"),
        };
        var declaration = IncidentChanges.DeclareResolved(draft, declaredAt, ResolvedAtOf(topic) ?? entries[^1].Entry.OccurredAt);
        var said = (JsonObject)declaration.Entries[0].Data!.DeepClone();
        (said["source"], said["channel"], said["channelId"]) = (Source, channel.Name, channel.Id);
        var declared = declaration.Entries[0] with { Data = said };
        var incident = declaration.Incident with
        {
            UpdatedAt = lastAt > declaration.Incident.UpdatedAt ? lastAt : declaration.Incident.UpdatedAt,
        };
        return new IncidentImport(
            new IncidentChange(incident, [declared, .. declaration.Entries.Skip(1)]), NumberOf(channel.Name), channel.Id, entries);
    }

    /// <summary>
    /// The title the bot's own topic gives (<c>SEV2 · Resolved · … · INC-4: Checkout down</c>), else the words of the
    /// channel's name after its number, else the topic, the purpose, the name.
    /// </summary>
    public static string TitleOf(string channelName, string? topic, string? purpose)
    {
        var title = (topic is null ? null : BotTopic().Match(topic) is { Success: true } bot ? bot.Groups["title"].Value : null)
            ?? NameWords(channelName)
            ?? topic
            ?? purpose
            ?? channelName;
        return SlackText.Truncate(title.Trim(), IncidentFieldRules.MaxTitleLength);
    }

    private static ImportedMessage? ToEntry(
        ExportChannel channel, ExportMessage exported, IReadOnlyDictionary<string, string> names, BotIdentity reader, bool withPermalinks)
    {
        var message = exported.Message;
        if (SlackMessageEntries.FromHistory(channel.Id, message, reader) is not { } entry)
        {
            return null;
        }

        var author = message.User is { } user && names.TryGetValue(user, out var name) ? name : exported.AuthorName;
        entry = entry with
        {
            Data = author is null ? entry.Data : new JsonObject { ["author"] = author },
            Slack = withPermalinks ? entry.Slack : entry.Slack! with { Permalink = null },
        };
        return new ImportedMessage(entry, IncidentFieldRules.ToMilliseconds(SlackTs.TimeOf(message.Edited?.Ts)));
    }

    private static string? NameWords(string channelName)
    {
        var words = NamePrefix().Replace(channelName, "").Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? null : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static Severity? SeverityOf(string? text) =>
        text is not null && SeverityWord().Match(text) is { Success: true } match && SeverityText.TryParse(match.Value, out var severity)
            ? severity
            : null;

    /// <summary>A topic may say when it was over: <c>Resolved 2024-03-01 14:05 UTC</c>.</summary>
    private static DateTimeOffset? ResolvedAtOf(string? topic) =>
        topic is not null && ResolvedTime().Match(topic) is { Success: true } match
            && DateTimeOffset.TryParse(match.Groups["time"].Value.Replace('T', ' '), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    private static string? Unescaped(string? text) => string.IsNullOrWhiteSpace(text) ? null : SlackMarkup.Unescape(text).Trim();

    [GeneratedRegex(@"^(?:incident|inc)[-_](?<number>\d{1,12})(?=[-_]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberedName();

    [GeneratedRegex(@"^(?:incident|inc)(?:[-_]\d{1,12})?(?:[-_]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePrefix();

    [GeneratedRegex(@"INC-\d+:\s*(?<title>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex BotTopic();

    [GeneratedRegex(@"\bsev[\s-]?[1-5]\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeverityWord();

    [GeneratedRegex(@"\bresolved(?:\s+at)?:?\s+(?<time>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ResolvedTime();
}
