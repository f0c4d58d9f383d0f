using System.Collections.Concurrent;
using IncidentBot.Assistant;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>
/// People's names from Slack's <c>users.info</c>, each asked once an hour at most: a name rarely changes, and an
/// answer names the same few people many times. A failed call is not remembered, so the next answer asks again.
/// </summary>
public sealed class SlackPersonNames(ISlackApiClient slack, TimeProvider time, ILogger<SlackPersonNames> logger) : IPersonNames
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<SlackUserId, (Task<string?> Name, DateTimeOffset Until)> known = new();

    public async Task<string?> NameAsync(SlackUserId person, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var entry = known.AddOrUpdate(
            person,
            _ => (AskAsync(person), now + KeptFor),
            (_, kept) => kept.Until > now && !kept.Name.IsFaulted ? kept : (AskAsync(person), now + KeptFor));
        try
        {
            return await entry.Name.WaitAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogWarning(failure, "Could not read the name of {User} from Slack; the answer names them by id", person);
            return null;
        }
    }

    // Not tied to one caller's cancellation: others may be waiting for the same name.
    private async Task<string?> AskAsync(SlackUserId person)
    {
        try
        {
            var user = await slack.Users.InfoAsync(person.Value);
            return new[] { user.Profile?.DisplayName, user.Profile?.RealName, user.RealName, user.Name }
                .FirstOrDefault(name => !string.IsNullOrWhiteSpace(name));
        }
        catch (SlackApiException unknown) when (unknown.Error is "user_not_found" or "user_not_visible")
        {
            return null;
        }
    }
}
