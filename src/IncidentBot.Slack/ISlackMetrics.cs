using IncidentBot.Slack.Handlers;

namespace IncidentBot.Slack;

/// <summary>
/// Told what the transport does, so the application can count it with its own instruments: the transport has no
/// meter of its own. Called inline on hot paths: take note and return.
/// </summary>
public interface ISlackMetrics
{
    /// <summary>A payload was answered within Slack's 3 seconds.</summary>
    /// <param name="type">The event type (<c>message</c>, <c>app_mention</c>, …), or <c>block_actions</c>, <c>slash_command</c>, <c>view_submission</c>.</param>
    /// <param name="outcome"><c>queued</c>, <c>duplicate</c>, <c>ignored</c>, <c>rejected</c>; for commands and submissions <c>answered</c> or <c>answered_late</c>.</param>
    void Acknowledged(string type, string outcome);

    /// <summary>Work kept in the inbox has run; <paramref name="lag"/> is the time from its acceptance.</summary>
    void Processed(SlackWorkKind kind, TimeSpan lag);

    /// <summary>A Web API call ended: <c>ok</c>, Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>), <c>http_503</c>, <c>unreachable</c> or <c>cancelled</c>.</summary>
    void Called(string method, string outcome);

    /// <summary>One attempt of a Web API call was answered 429, whether or not it was retried.</summary>
    void RateLimited(string method);
}

/// <summary>Counts nothing: the transport's default when the application brings no metrics.</summary>
internal sealed class UncountedSlackMetrics : ISlackMetrics
{
    public void Acknowledged(string type, string outcome)
    {
    }

    public void Processed(SlackWorkKind kind, TimeSpan lag)
    {
    }

    public void Called(string method, string outcome)
    {
    }

    public void RateLimited(string method)
    {
    }
}
