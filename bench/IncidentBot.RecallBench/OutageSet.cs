using System.Text.Json;

namespace IncidentBot.RecallBench;

/// <summary>
/// Incidents written like public outage reports, each with searches phrased in other words. <c>searches</c> were
/// looked at while the ranking was chosen; <c>heldOutSearches</c> were not, and are reported apart; <c>symptomSearches</c>,
/// symptoms as a responder would describe them, were written later and measured before any change, and are reported apart too.
/// </summary>
public sealed record OutageSet(string About, IReadOnlyList<Outage> Incidents)
{
    /// <summary>The set as the bench and the tests find it next to their assembly.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "outages.json");

    public static OutageSet Load(string path) =>
        JsonSerializer.Deserialize<OutageSet>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
        ?? throw new InvalidDataException($"{path} holds no outage set.");
}

public sealed record Outage(
    string Key, string Title, IReadOnlyList<string> Services, string Impact, string Description, string RootCause,
    IReadOnlyList<string> Searches, IReadOnlyList<string> HeldOutSearches, IReadOnlyList<string>? SymptomSearches = null);
