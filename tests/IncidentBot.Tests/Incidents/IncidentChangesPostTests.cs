using IncidentBot.Incidents;
using static IncidentBot.Tests.Incidents.Samples;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentChangesPostTests
{
    [Theory]
    [InlineData(TimelineEntryKind.Update)]
    [InlineData(TimelineEntryKind.Action)]
    [InlineData(TimelineEntryKind.Resolution)]
    public void PostOfADeliberateKindWritesOneEntryAndLeavesTheIncidentAlone(TimelineEntryKind kind)
    {
        var current = Incident();

        var change = IncidentChanges.Post(current, kind, "  Rolled back the deploy  ", "<@U5|dave>", At(4));

        Assert.Same(current, change.Incident);
        var entry = Assert.Single(change.Entries);
        Assert.Equal(kind, entry.Kind);
        Assert.Equal("Rolled back the deploy", entry.Text);
        Assert.Equal("U5", entry.ActorId);
        Assert.Equal(At(4), entry.OccurredAt);
    }

    [Theory]
    [InlineData(TimelineEntryKind.Message)]
    [InlineData(TimelineEntryKind.Declared)]
    [InlineData(TimelineEntryKind.StatusChanged)]
    [InlineData(TimelineEntryKind.SeverityChanged)]
    [InlineData(TimelineEntryKind.CommanderChanged)]
    [InlineData(TimelineEntryKind.ServicesChanged)]
    [InlineData(TimelineEntryKind.ResourceLinked)]
    [InlineData(TimelineEntryKind.MemberJoined)]
    [InlineData(TimelineEntryKind.PostmortemDrafted)]
    [InlineData(TimelineEntryKind.DetailsChanged)]
    public void PostOfAnAutomaticOrMessageKindFailsOnType(TimelineEntryKind kind)
    {
        var error = Assert.Throws<IncidentValidationException>(() => IncidentChanges.Post(Incident(), kind, "text", "U5", T0));

        Assert.Equal("type", Assert.Single(error.Errors).Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void PostWithoutTextFailsOnMessage(string? text)
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Post(Incident(), TimelineEntryKind.Update, text, "U5", T0));

        Assert.Equal("message", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void PostOf40001CharactersFailsOnMessage()
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Post(Incident(), TimelineEntryKind.Update, new string('x', 40_001), "U5", T0));

        Assert.Equal("message", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void PostOf40000CharactersIsAccepted()
    {
        var text = new string('x', 40_000);

        var change = IncidentChanges.Post(Incident(), TimelineEntryKind.Update, text, "U5", T0);

        Assert.Equal(text, Assert.Single(change.Entries).Text);
    }

    [Fact]
    public void PostByAProgramWithoutActorHasNoActor()
    {
        var change = IncidentChanges.Post(Incident(), TimelineEntryKind.Action, "Paged the DBA", null, T0);

        Assert.Null(Assert.Single(change.Entries).ActorId);
    }
}
