using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Api;

/// <summary>The Slack Web API, grouped like Slack's method names (<c>Chat.PostMessageAsync</c> = chat.postMessage).</summary>
public interface ISlackApiClient
{
    IAuthApi Auth { get; }
    IChatApi Chat { get; }
    IConversationsApi Conversations { get; }
    IPinsApi Pins { get; }
    IViewsApi Views { get; }
    IUsersApi Users { get; }
    IAppsApi Apps { get; }
}

public interface IAuthApi
{
    Task<AuthTestResponse> TestAsync(CancellationToken cancellationToken = default);
}

public interface IChatApi
{
    Task<PostMessageResponse> PostMessageAsync(ChatMessage message, CancellationToken cancellationToken = default);

    /// <summary>Shown only to <paramref name="userId"/>; cannot be edited later with chat.update.</summary>
    Task<PostEphemeralResponse> PostEphemeralAsync(string userId, ChatMessage message, CancellationToken cancellationToken = default);

    Task<UpdateMessageResponse> UpdateAsync(MessageUpdate update, CancellationToken cancellationToken = default);

    Task<string> GetPermalinkAsync(string channelId, string messageTs, CancellationToken cancellationToken = default);
}

public interface IConversationsApi
{
    /// <summary>The name must already be valid (lowercase, a-z 0-9 - _, ≤ 80); a taken name throws with <c>name_taken</c>.</summary>
    Task<Conversation> CreateAsync(string name, bool isPrivate = false, CancellationToken cancellationToken = default);

    Task<Conversation> InviteAsync(string channelId, IEnumerable<string> userIds, CancellationToken cancellationToken = default);

    Task SetTopicAsync(string channelId, string topic, CancellationToken cancellationToken = default);

    Task<Conversation> JoinAsync(string channelId, CancellationToken cancellationToken = default);

    Task<Conversation> InfoAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>One page, newest first; pass the previous page's next_cursor to continue.</summary>
    Task<MessagesResponse> HistoryAsync(
        string channelId, string? cursor = null, int limit = 100, string? oldest = null, string? latest = null,
        CancellationToken cancellationToken = default);

    /// <summary>One page of a thread, parent first.</summary>
    Task<MessagesResponse> RepliesAsync(
        string channelId, string threadTs, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default);

    Task<ConversationsListResponse> ListAsync(
        string? cursor = null, int limit = 200, string types = "public_channel", bool excludeArchived = true,
        CancellationToken cancellationToken = default);

    /// <summary>One page of the channel's member ids.</summary>
    Task<ConversationMembersResponse> MembersAsync(string channelId, string? cursor = null, int limit = 200, CancellationToken cancellationToken = default);

    /// <summary>Every member id of the channel, page after page.</summary>
    IAsyncEnumerable<string> EnumerateMembersAsync(string channelId, int pageSize = 200, CancellationToken cancellationToken = default);

    /// <summary>Every message of the channel's history, page after page.</summary>
    IAsyncEnumerable<SlackMessage> EnumerateHistoryAsync(
        string channelId, int pageSize = 100, string? oldest = null, string? latest = null, CancellationToken cancellationToken = default);

    IAsyncEnumerable<SlackMessage> EnumerateRepliesAsync(
        string channelId, string threadTs, int pageSize = 100, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Conversation> EnumerateListAsync(
        string types = "public_channel", bool excludeArchived = true, int pageSize = 200, CancellationToken cancellationToken = default);
}

public interface IPinsApi
{
    Task AddAsync(string channelId, string messageTs, CancellationToken cancellationToken = default);
}

public interface IViewsApi
{
    /// <summary>The trigger_id is valid for 3 seconds and once: call this before slow work.</summary>
    Task<PublishedView> OpenAsync(string triggerId, ModalView view, CancellationToken cancellationToken = default);

    Task<PublishedView> PublishAsync(string userId, HomeView view, string? hash = null, CancellationToken cancellationToken = default);

    Task<PublishedView> UpdateAsync(string viewId, ModalView view, string? hash = null, CancellationToken cancellationToken = default);
}

public interface IUsersApi
{
    Task<SlackUser> InfoAsync(string userId, CancellationToken cancellationToken = default);
}

public interface IAppsApi
{
    /// <summary>A fresh Socket Mode URL; authenticated with the app-level token.</summary>
    Task<string> ConnectionsOpenAsync(CancellationToken cancellationToken = default);
}
