using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// The Slack user a question names: a mention is the user; a name ("alice") is looked up among the commanders and
/// declarers incidents have, by the names Slack gives them. Without Slack no name is known, and none is guessed.
/// </summary>
internal sealed class PersonLookup(IncidentPlugin plugin, IPersonNames names)
{
    /// <returns>The user's id; null when the name is nobody's, or several people's.</returns>
    public async Task<string?> FindAsync(QuestionPerson person, CancellationToken cancellationToken)
    {
        if (person.UserId is { } id)
        {
            return id;
        }

        var incidents = await plugin.FindAsync(new IncidentFilter { Limit = IncidentFilter.MaxLimit }, cancellationToken);
        var people = incidents.SelectMany(i => new[] { i.CommanderId, i.DeclaredBy }).OfType<string>().Distinct(StringComparer.Ordinal);
        var matching = new List<string>();
        foreach (var candidate in people)
        {
            if (SlackUserId.TryParse(candidate, out var user) && await names.NameAsync(user, cancellationToken) is { } name && IsCalled(name, person.Name!))
            {
                matching.Add(candidate);
            }
        }

        return matching.Count == 1 ? matching[0] : null;
    }

    /// <summary>"Alice Martin" and "alice.martin" are called "alice", "alice martin" or "alice.martin".</summary>
    private static bool IsCalled(string name, string asked)
    {
        var lower = name.ToLowerInvariant();
        return lower == asked || lower.Split([' ', '.', '_', '-'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == asked;
    }

    public const string UnknownHint =
        "I know people by their Slack mention (e.g. <@U0123ABC>), and by name only the commanders and declarers whose names Slack gives me.";
}
