using IncidentBot.Incidents;
using IncidentBot.RecallBench;

namespace IncidentBot.Tests.Assistant.Embeddings;

/// <summary>
/// A bot holding the first <see cref="Count"/> incidents of the outage set (bench/IncidentBot.RecallBench/outages.json),
/// each declared through the core with its root cause posted as an update, with the in-process model on or off.
/// </summary>
public abstract class OutageWorld(bool localEmbeddings) : SeededWorld(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero))
{
    public const int Count = 16;

    public Dictionary<string, (Outage Outage, long Number)> Outages { get; } = [];

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Assistant:LocalEmbeddings"] = localEmbeddings ? "true" : "false" };

    public long NumberOf(string title) => Outages.Values.Single(o => o.Outage.Title == title).Number;

    protected override async Task SeedAsync()
    {
        foreach (var outage in OutageSet.Load(OutageSet.DefaultPath).Incidents.Take(Count))
        {
            var number = await DeclareAsync(outage.Title, Severity.Sev2, [.. outage.Services], Alice, outage.Impact, outage.Description);
            await PostAsync(number, TimelineEntryKind.Update, outage.RootCause, Alice);
            Outages[outage.Key] = (outage, number);
        }
    }
}

public sealed class LocalEmbeddingsWorld() : OutageWorld(localEmbeddings: true);

public sealed class WordsOnlyWorld() : OutageWorld(localEmbeddings: false);
