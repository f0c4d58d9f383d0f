namespace IncidentBot.Slack.Api;

public static class ExceptionChain
{
    /// <summary>The exception itself or the first of its inner exceptions that is a <typeparamref name="T"/>.</summary>
    public static T? Find<T>(this Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
