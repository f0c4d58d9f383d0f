using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentReferenceTests
{
    [Theory]
    [InlineData("INC-42", 42)]
    [InlineData("inc-42", 42)]
    [InlineData("Inc-42", 42)]
    [InlineData("incident-42", 42)]
    [InlineData("INCIDENT-42", 42)]
    [InlineData("#42", 42)]
    [InlineData("42", 42)]
    [InlineData("  INC-42  ", 42)]
    [InlineData(" #42\t", 42)]
    [InlineData(" 42 ", 42)]
    [InlineData(" incident-42 ", 42)]
    [InlineData("INC-1", 1)]
    [InlineData("INC-9223372036854775807", long.MaxValue)]
    public void EveryDocumentedFormParsesToTheNumber(string text, long expected)
    {
        Assert.True(IncidentReference.TryParse(text, out var number));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("INC-")]
    [InlineData("INC-0")]
    [InlineData("0")]
    [InlineData("#0")]
    [InlineData("-5")]
    [InlineData("INC--5")]
    [InlineData("INC-abc")]
    [InlineData("42abc")]
    [InlineData("INC-99999999999999999999")]
    [InlineData("9223372036854775808")]
    [InlineData("#")]
    [InlineData("incident-")]
    [InlineData("+42")]
    [InlineData("INC-4 2")]
    [InlineData("INC-42.0")]
    public void MalformedReferencesAreRejected(string? text)
    {
        Assert.False(IncidentReference.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1, "INC-1")]
    [InlineData(42, "INC-42")]
    [InlineData(123456, "INC-123456")]
    public void FormatWritesIncDashNumberAndItParsesBack(long number, string expected)
    {
        Assert.Equal(expected, IncidentReference.Format(number));
        Assert.True(IncidentReference.TryParse(IncidentReference.Format(number), out var parsed));
        Assert.Equal(number, parsed);
    }

    [Fact]
    public void AnIncidentsReferenceIsItsFormattedNumber()
    {
        Assert.Equal("INC-7", Samples.Incident().Reference);
    }
}
