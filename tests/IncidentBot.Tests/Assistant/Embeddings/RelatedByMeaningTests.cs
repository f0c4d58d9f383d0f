using IncidentBot.Assistant;
using IncidentBot.Assistant.Related;
using IncidentBot.RecallBench;

namespace IncidentBot.Tests.Assistant.Embeddings;

/// <summary>Related incidents with the default configuration: the in-process model ranks by meaning too.</summary>
public sealed class RelatedByMeaningTests(LocalEmbeddingsWorld world) : IClassFixture<LocalEmbeddingsWorld>
{
    private const string DdosTitle = "Volumetric DDoS against the edge saturates uplinks";

    [Fact]
    public async Task AnIncidentToldInOtherWordsIsFoundByMeaningAndTheReasonSaysSo()
    {
        var related = await world.Assistant.FindRelatedAsync(new RelatedRequest(Query: "a botnet flooded us with junk packets"));

        var ddos = Assert.Single(related.Hits.Take(RecallRun.TopK), hit => hit.Incident.Number == world.NumberOf(DdosTitle));
        Assert.Matches(@"^similar in meaning to the words \(cosine 0\.\d\d by all-MiniLM-L6-v2\)$", ddos.Reasons[^1].Text);
        Assert.Contains("similarity in meaning (all-MiniLM-L6-v2, 16 incidents compared)", related.Text);
        Assert.Equal(AssistantEngines.Deterministic, related.Engine);
    }

    [Fact]
    public async Task RelatedToAnIncidentListsTheOneAboutTheSameKindOfFailureForItsMeaning()
    {
        var expired = world.NumberOf("TLS certificate expired on the public API");

        var related = await world.Assistant.FindRelatedAsync(expired);

        var intermediate = related.Hits.Single(hit => hit.Incident.Number == world.NumberOf("Expired intermediate certificate breaks older Android devices"));
        Assert.Contains(intermediate.Reasons, reason => reason.Text.StartsWith($"similar in meaning to INC-{expired} (cosine", StringComparison.Ordinal));
        Assert.Contains(intermediate, related.Hits.Take(RecallRun.TopK));
    }

    [Fact]
    public async Task OnASmallPartOfTheOutageSetTheFusedRankingFindsNearlyEverySearchInTheTopFive()
    {
        var set = OutageSet.Load(OutageSet.DefaultPath);
        var part = set with { Incidents = [.. set.Incidents.Take(24)] };

        var result = await new RecallRun(part, TextWriter.Null).MeasureAsync(CancellationToken.None);

        var searches = result.Tuning.Count + result.HeldOut.Count;
        var fused = result.Tuning.Fused + result.HeldOut.Fused;
        Assert.True(fused >= 0.9 * searches, result.ToMarkdown());
        Assert.True(fused > result.Tuning.ByWords + result.HeldOut.ByWords, result.ToMarkdown());
    }
}
