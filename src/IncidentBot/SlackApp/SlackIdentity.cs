using IncidentBot.Slack.Api;

namespace IncidentBot.SlackApp;

/// <summary>Who the bot is in the workspace, from <c>auth.test</c>.</summary>
public sealed record BotIdentity(string UserId, string? BotId, string TeamId, Uri WorkspaceUrl)
{
    public bool IsSelf(string? userId, string? botId) =>
        (userId is not null && userId == UserId) || (botId is not null && botId == BotId);

    /// <summary>A message's permalink, built from the workspace URL rather than asked of Slack for every message.</summary>
    public string Permalink(string channelId, string ts, string? threadTs = null)
    {
        var link = new Uri(WorkspaceUrl, $"archives/{channelId}/p{ts.Replace(".", "", StringComparison.Ordinal)}").ToString();
        return threadTs is not null && threadTs != ts ? $"{link}?thread_ts={threadTs}&cid={channelId}" : link;
    }
}

/// <summary>
/// Asks Slack once who the bot is and remembers the answer. Asked lazily, and again after a failure,
/// so a start without network does not stop the bot.
/// </summary>
public sealed class SlackIdentity(ISlackApiClient slack)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private BotIdentity? identity;

    public async Task<BotIdentity> GetAsync(CancellationToken cancellationToken = default)
    {
        if (identity is { } known)
        {
            return known;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (identity is null)
            {
                var auth = await slack.Auth.TestAsync(cancellationToken);
                identity = new BotIdentity(auth.UserId, auth.BotId, auth.TeamId, new Uri(auth.Url.EndsWith('/') ? auth.Url : auth.Url + "/"));
            }

            return identity;
        }
        finally
        {
            gate.Release();
        }
    }
}
