using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

public sealed class SeverityTextTests
{
    [Theory]
    [InlineData("sev1", Severity.Sev1)]
    [InlineData("SEV-1", Severity.Sev1)]
    [InlineData("sev 1", Severity.Sev1)]
    [InlineData("sev_1", Severity.Sev1)]
    [InlineData("1", Severity.Sev1)]
    [InlineData("Sev2", Severity.Sev2)]
    [InlineData("SEV-2", Severity.Sev2)]
    [InlineData("sev 2", Severity.Sev2)]
    [InlineData("2", Severity.Sev2)]
    [InlineData("sev3", Severity.Sev3)]
    [InlineData("SEV-3", Severity.Sev3)]
    [InlineData("sev 3", Severity.Sev3)]
    [InlineData("3", Severity.Sev3)]
    [InlineData("sev4", Severity.Sev4)]
    [InlineData("SEV-4", Severity.Sev4)]
    [InlineData("sev 4", Severity.Sev4)]
    [InlineData("4", Severity.Sev4)]
    [InlineData("sev5", Severity.Sev5)]
    [InlineData("SEV-5", Severity.Sev5)]
    [InlineData("sev 5", Severity.Sev5)]
    [InlineData("5", Severity.Sev5)]
    [InlineData("critical", Severity.Sev1)]
    [InlineData("high", Severity.Sev2)]
    [InlineData("major", Severity.Sev2)]
    [InlineData("moderate", Severity.Sev3)]
    [InlineData("medium", Severity.Sev3)]
    [InlineData("low", Severity.Sev4)]
    [InlineData("minor", Severity.Sev5)]
    [InlineData("UNKNOWN", Severity.Unknown)]
    [InlineData("unknown", Severity.Unknown)]
    public void EveryDocumentedSpellingParsesToItsSeverity(string text, Severity expected)
    {
        Assert.True(SeverityText.TryParse(text, out var severity));
        Assert.Equal(expected, severity);
    }

    [Theory]
    [InlineData("SEV1", Severity.Sev1)]
    [InlineData("sEv-4", Severity.Sev4)]
    [InlineData("CRITICAL", Severity.Sev1)]
    [InlineData("Major", Severity.Sev2)]
    [InlineData("MeDiUm", Severity.Sev3)]
    [InlineData("LOW", Severity.Sev4)]
    [InlineData("Minor", Severity.Sev5)]
    [InlineData("Unknown", Severity.Unknown)]
    public void ParsingIgnoresCase(string text, Severity expected)
    {
        Assert.True(SeverityText.TryParse(text, out var severity));
        Assert.Equal(expected, severity);
    }

    [Theory]
    [InlineData("  sev1  ", Severity.Sev1)]
    [InlineData("\tSEV-2\n", Severity.Sev2)]
    [InlineData(" 3 ", Severity.Sev3)]
    [InlineData("  high ", Severity.Sev2)]
    [InlineData(" UNKNOWN ", Severity.Unknown)]
    public void ParsingIgnoresSurroundingWhitespace(string text, Severity expected)
    {
        Assert.True(SeverityText.TryParse(text, out var severity));
        Assert.Equal(expected, severity);
    }

    [Theory]
    [InlineData("sev0")]
    [InlineData("sev6")]
    [InlineData("SEV-0")]
    [InlineData("SEV-6")]
    [InlineData("6")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("sev")]
    [InlineData("sev-")]
    [InlineData("sev-1-2")]
    [InlineData("p1")]
    [InlineData("12")]
    [InlineData("critical!")]
    [InlineData("severe")]
    [InlineData("1.0")]
    [InlineData("-1")]
    [InlineData("sev 11")]
    public void BadSpellingsAreRejected(string? text)
    {
        Assert.False(SeverityText.TryParse(text, out _));
    }

    [Theory]
    [InlineData(Severity.Unknown, "UNKNOWN")]
    [InlineData(Severity.Sev1, "SEV-1")]
    [InlineData(Severity.Sev2, "SEV-2")]
    [InlineData(Severity.Sev3, "SEV-3")]
    [InlineData(Severity.Sev4, "SEV-4")]
    [InlineData(Severity.Sev5, "SEV-5")]
    public void ToLabelWritesTheCanonicalLabelAndItParsesBack(Severity severity, string label)
    {
        Assert.Equal(label, severity.ToLabel());
        Assert.True(SeverityText.TryParse(severity.ToLabel(), out var parsed));
        Assert.Equal(severity, parsed);
    }

    [Fact]
    public void EverySeverityRoundTripsThroughItsLabel()
    {
        foreach (var severity in Enum.GetValues<Severity>())
        {
            Assert.True(SeverityText.TryParse(severity.ToLabel(), out var parsed), severity.ToLabel());
            Assert.Equal(severity, parsed);
        }
    }
}
