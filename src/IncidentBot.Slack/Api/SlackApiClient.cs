using System.Runtime.CompilerServices;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Api;

public sealed class SlackApiClient(SlackApiTransport transport) : ISlackApiClient
{
    public IAuthApi Auth { get; } = new AuthApi(transport);
    public IChatApi Chat { get; } = new ChatApi(transport);
    public IConversationsApi Conversations { get; } = new ConversationsApi(transport);
    public IPinsApi Pins { get; } = new PinsApi(transport);
    public IViewsApi Views { get; } = new ViewsApi(transport);
    public IUsersApi Users { get; } = new UsersApi(transport);
    public IAppsApi Apps { get; } = new AppsApi(transport);
}

internal sealed class AuthApi(SlackApiTransport transport) : IAuthApi
{
    public Task<AuthTestResponse> TestAsync(CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<AuthTestResponse>("auth.test", new { }, cancellationToken: cancellationToken);
}

internal sealed class ChatApi(SlackApiTransport transport) : IChatApi
{
    public Task<PostMessageResponse> PostMessageAsync(ChatMessage message, CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<PostMessageResponse>("chat.postMessage", message, message.Channel, cancellationToken: cancellationToken);

    public Task<PostEphemeralResponse> PostEphemeralAsync(string userId, ChatMessage message, CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<PostEphemeralResponse>("chat.postEphemeral", new
        {
            message.Channel,
            User = userId,
            message.Text,
            message.Blocks,
            message.ThreadTs,
        }, cancellationToken: cancellationToken);

    public Task<UpdateMessageResponse> UpdateAsync(MessageUpdate update, CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<UpdateMessageResponse>("chat.update", update, cancellationToken: cancellationToken);

    public async Task<string> GetPermalinkAsync(string channelId, string messageTs, CancellationToken cancellationToken = default) =>
        (await transport.PostFormAsync<PermalinkResponse>("chat.getPermalink",
            [new("channel", channelId), new("message_ts", messageTs)], cancellationToken: cancellationToken)).Permalink;
}

internal sealed class ConversationsApi(SlackApiTransport transport) : IConversationsApi
{
    public async Task<Conversation> CreateAsync(string name, bool isPrivate = false, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ConversationResponse>("conversations.create", new { Name = name, IsPrivate = isPrivate },
            cancellationToken: cancellationToken)).Channel;

    public async Task<Conversation> InviteAsync(string channelId, IEnumerable<string> userIds, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ConversationResponse>("conversations.invite",
            new { Channel = channelId, Users = string.Join(",", userIds) }, cancellationToken: cancellationToken)).Channel;

    public Task SetTopicAsync(string channelId, string topic, CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<SlackResponse>("conversations.setTopic", new { Channel = channelId, Topic = topic },
            cancellationToken: cancellationToken);

    public async Task<Conversation> JoinAsync(string channelId, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ConversationResponse>("conversations.join", new { Channel = channelId },
            cancellationToken: cancellationToken)).Channel;

    public async Task<Conversation> InfoAsync(string channelId, CancellationToken cancellationToken = default) =>
        (await transport.PostFormAsync<ConversationResponse>("conversations.info", [new("channel", channelId)],
            cancellationToken: cancellationToken)).Channel;

    public Task<MessagesResponse> HistoryAsync(
        string channelId, string? cursor = null, int limit = 100, string? oldest = null, string? latest = null,
        CancellationToken cancellationToken = default) =>
        transport.PostFormAsync<MessagesResponse>("conversations.history",
            [new("channel", channelId), new("cursor", cursor), new("limit", Number(limit)), new("oldest", oldest), new("latest", latest),
                new("include_all_metadata", "true")],
            cancellationToken: cancellationToken);

    public Task<MessagesResponse> RepliesAsync(
        string channelId, string threadTs, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default) =>
        transport.PostFormAsync<MessagesResponse>("conversations.replies",
            [new("channel", channelId), new("ts", threadTs), new("cursor", cursor), new("limit", Number(limit))],
            cancellationToken: cancellationToken);

    public Task<ConversationsListResponse> ListAsync(
        string? cursor = null, int limit = 200, string types = "public_channel", bool excludeArchived = true,
        CancellationToken cancellationToken = default) =>
        transport.PostFormAsync<ConversationsListResponse>("conversations.list",
            [new("cursor", cursor), new("limit", Number(limit)), new("types", types), new("exclude_archived", excludeArchived ? "true" : "false")],
            cancellationToken: cancellationToken);

    public IAsyncEnumerable<SlackMessage> EnumerateHistoryAsync(
        string channelId, int pageSize = 100, string? oldest = null, string? latest = null, CancellationToken cancellationToken = default) =>
        CursorPages.EnumerateAsync(
            (cursor, ct) => HistoryAsync(channelId, cursor, pageSize, oldest, latest, ct), page => page.Messages, cancellationToken);

    public IAsyncEnumerable<SlackMessage> EnumerateRepliesAsync(
        string channelId, string threadTs, int pageSize = 100, CancellationToken cancellationToken = default) =>
        CursorPages.EnumerateAsync(
            (cursor, ct) => RepliesAsync(channelId, threadTs, cursor, pageSize, ct), page => page.Messages, cancellationToken);

    public Task<ConversationMembersResponse> MembersAsync(
        string channelId, string? cursor = null, int limit = 200, CancellationToken cancellationToken = default) =>
        transport.PostFormAsync<ConversationMembersResponse>("conversations.members",
            [new("channel", channelId), new("cursor", cursor), new("limit", Number(limit))],
            cancellationToken: cancellationToken);

    public IAsyncEnumerable<string> EnumerateMembersAsync(string channelId, int pageSize = 200, CancellationToken cancellationToken = default) =>
        CursorPages.EnumerateAsync((cursor, ct) => MembersAsync(channelId, cursor, pageSize, ct), page => page.Members, cancellationToken);

    public IAsyncEnumerable<Conversation> EnumerateListAsync(
        string types = "public_channel", bool excludeArchived = true, int pageSize = 200, CancellationToken cancellationToken = default) =>
        CursorPages.EnumerateAsync(
            (cursor, ct) => ListAsync(cursor, pageSize, types, excludeArchived, ct), page => page.Channels, cancellationToken);

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed class PinsApi(SlackApiTransport transport) : IPinsApi
{
    public Task AddAsync(string channelId, string messageTs, CancellationToken cancellationToken = default) =>
        transport.PostJsonAsync<SlackResponse>("pins.add", new { Channel = channelId, Timestamp = messageTs },
            cancellationToken: cancellationToken);
}

internal sealed class ViewsApi(SlackApiTransport transport) : IViewsApi
{
    public async Task<PublishedView> OpenAsync(string triggerId, ModalView view, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ViewResponse>("views.open", new { TriggerId = triggerId, View = view },
            cancellationToken: cancellationToken)).View;

    public async Task<PublishedView> PublishAsync(string userId, HomeView view, string? hash = null, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ViewResponse>("views.publish", new { UserId = userId, View = view, Hash = hash },
            cancellationToken: cancellationToken)).View;

    public async Task<PublishedView> UpdateAsync(string viewId, ModalView view, string? hash = null, CancellationToken cancellationToken = default) =>
        (await transport.PostJsonAsync<ViewResponse>("views.update", new { ViewId = viewId, View = view, Hash = hash },
            cancellationToken: cancellationToken)).View;
}

internal sealed class UsersApi(SlackApiTransport transport) : IUsersApi
{
    public async Task<SlackUser> InfoAsync(string userId, CancellationToken cancellationToken = default) =>
        (await transport.PostFormAsync<UserInfoResponse>("users.info", [new("user", userId)],
            cancellationToken: cancellationToken)).User;
}

internal sealed class AppsApi(SlackApiTransport transport) : IAppsApi
{
    public async Task<string> ConnectionsOpenAsync(CancellationToken cancellationToken = default) =>
        (await transport.PostFormAsync<ConnectionsOpenResponse>("apps.connections.open", [], SlackToken.App,
            cancellationToken)).Url;
}

/// <summary>Follows <c>response_metadata.next_cursor</c> until Slack sends an empty one.</summary>
internal static class CursorPages
{
    public static async IAsyncEnumerable<TItem> EnumerateAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> fetch,
        Func<TPage, IEnumerable<TItem>> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TPage : SlackResponse
    {
        string? cursor = null;
        do
        {
            var page = await fetch(cursor, cancellationToken);
            foreach (var item in items(page))
            {
                yield return item;
            }

            // A page may be short or even empty while more pages follow; only the cursor says when to stop.
            cursor = page.ResponseMetadata?.NextCursor;
        }
        while (!string.IsNullOrEmpty(cursor));
    }
}
