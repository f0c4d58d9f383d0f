using System.Security.Cryptography;
using System.Text;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// What an incident is about, as it is embedded: title, services, impact, description, the mitigation and
/// resolution summaries, and the timeline's key messages (updates, resolutions, and messages stating a root
/// cause). Chat messages are left out: they grow all the time and say little about what happened.
/// </summary>
internal static class IncidentEmbeddingText
{
    /// <summary>MiniLM reads at most 256 word pieces; this is about as much text.</summary>
    public const int MaxChars = 1_200;

    private const int MaxKeyMessages = 8;
    private const int TimelineRead = 300;

    public static async Task<string> ReadAsync(IIncidentReader reader, Incident incident, CancellationToken cancellationToken)
    {
        var timeline = await reader.GetTimelineAsync(incident.Number, new TimelineQuery { Limit = TimelineRead }, cancellationToken);
        var keyMessages = timeline.Where(IsKeyMessage).TakeLast(MaxKeyMessages).Select(entry => entry.Text!);
        var text = string.Join("\n", new[]
        {
            incident.Title, string.Join(", ", incident.Services), incident.CustomerImpact, incident.Description,
            incident.MitigationSummary, incident.ResolutionSummary,
        }.Concat(keyMessages).Where(part => !string.IsNullOrWhiteSpace(part)).Distinct());
        return text.Length <= MaxChars ? text : text[..MaxChars];
    }

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static bool IsKeyMessage(TimelineEntry entry) =>
        EntryClassifier.IsWritten(entry)
        && (entry.Kind is TimelineEntryKind.Update or TimelineEntryKind.Resolution
            || (EntryClassifier.ReadsLikeRootCause(entry.Text!) && !EntryClassifier.IsQuestion(entry.Text!)));
}
