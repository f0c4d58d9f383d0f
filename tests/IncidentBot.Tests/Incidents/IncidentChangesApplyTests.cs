using System.Text.Json.Nodes;
using IncidentBot.Incidents;
using static IncidentBot.Tests.Incidents.Samples;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentChangesApplyTests
{
    private static readonly DateTimeOffset Now = At(30);

    private static IncidentChange Apply(IncidentEdit edit, Incident? current = null) =>
        IncidentChanges.Apply(current ?? Incident(), edit, "U5", Now);

    private static string? Text(JsonObject? data, string key) => data?[key]?.GetValue<string>();

    private static string[] Strings(JsonObject? data, string key) =>
        [.. data![key]!.AsArray().Select(node => node!.GetValue<string>())];

    [Fact]
    public void StatusEditWritesOneStatusChangedEntryWithFromAndTo()
    {
        var change = Apply(new IncidentEdit { Status = IncidentStatus.Stable });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.StatusChanged, entry.Kind);
        Assert.Equal("status_changed", entry.Kind.ToWireName());
        Assert.Equal("active", Text(entry.Data, "from"));
        Assert.Equal("stable", Text(entry.Data, "to"));
        Assert.Equal("U5", entry.ActorId);
        Assert.Equal(Now, entry.OccurredAt);
        Assert.Equal(IncidentStatus.Stable, change.Incident.Status);
        Assert.Equal(Now, change.Incident.StableAt);
    }

    [Fact]
    public void StatusEditToResolvedSetsResolvedAtThroughTheLifecycle()
    {
        var change = Apply(new IncidentEdit { Status = IncidentStatus.Resolved });

        Assert.Equal(Now, change.Incident.ResolvedAt);
        Assert.Equal("resolved", Text(Assert.Single(change.Entries).Data, "to"));
    }

    [Fact]
    public void SeverityEditWritesOneSeverityChangedEntryWithLabels()
    {
        var change = Apply(new IncidentEdit { Severity = Severity.Sev1 });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.SeverityChanged, entry.Kind);
        Assert.Equal("SEV-2", Text(entry.Data, "from"));
        Assert.Equal("SEV-1", Text(entry.Data, "to"));
        Assert.Equal(Severity.Sev1, change.Incident.Severity);
    }

    [Fact]
    public void CommanderEditInSlackMentionFormIsNormalisedToTheUserId()
    {
        var change = Apply(new IncidentEdit { CommanderId = "<@U123|bob>" });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.CommanderChanged, entry.Kind);
        Assert.Equal("U1", Text(entry.Data, "from"));
        Assert.Equal("U123", Text(entry.Data, "to"));
        Assert.Equal("U123", change.Incident.CommanderId);
    }

    [Fact]
    public void CommanderEditOnAnIncidentWithoutCommanderRecordsANullFrom()
    {
        var change = Apply(new IncidentEdit { CommanderId = "<@U123>" }, Incident() with { CommanderId = null });

        var entry = Assert.Single(change.Entries);
        Assert.Null(entry.Data!["from"]);
        Assert.Equal("U123", Text(entry.Data, "to"));
        Assert.Equal("U123", change.Incident.CommanderId);
    }

    [Fact]
    public void CommanderEditNamingTheCurrentCommanderInMentionFormWritesNothing()
    {
        var change = Apply(new IncidentEdit { CommanderId = "<@U1|carol>" });

        Assert.Empty(change.Entries);
        Assert.Equal("U1", change.Incident.CommanderId);
    }

    [Fact]
    public void TitleEditWritesADetailsChangedEntryNamingTheTitleField()
    {
        var change = Apply(new IncidentEdit { Title = "  Checkout   is slow " });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.DetailsChanged, entry.Kind);
        Assert.Equal("details_changed", entry.Kind.ToWireName());
        Assert.Equal("title", Text(entry.Data, "field"));
        Assert.Equal("Checkout is down", Text(entry.Data, "from"));
        Assert.Equal("Checkout is slow", Text(entry.Data, "to"));
        Assert.Equal("Checkout is slow", change.Incident.Title);
    }

    [Fact]
    public void TitleEditToBlankFailsOnTitle()
    {
        var error = Assert.Throws<IncidentValidationException>(() => Apply(new IncidentEdit { Title = "  " }));

        Assert.Equal("title", Assert.Single(error.Errors).Key);
    }

    [Theory]
    [InlineData("impact")]
    [InlineData("description")]
    [InlineData("mitigationSummary")]
    [InlineData("resolutionSummary")]
    public void DetailEditWritesADetailsChangedEntryNamingTheField(string field)
    {
        var edit = field switch
        {
            "impact" => new IncidentEdit { CustomerImpact = " Card payments fail " },
            "description" => new IncidentEdit { Description = " Card payments fail " },
            "mitigationSummary" => new IncidentEdit { MitigationSummary = " Card payments fail " },
            _ => new IncidentEdit { ResolutionSummary = " Card payments fail " },
        };

        var change = Apply(edit);

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.DetailsChanged, entry.Kind);
        Assert.Equal(field, Text(entry.Data, "field"));
        Assert.Null(entry.Data!["from"]);
        Assert.Equal("Card payments fail", Text(entry.Data, "to"));
        var value = field switch
        {
            "impact" => change.Incident.CustomerImpact,
            "description" => change.Incident.Description,
            "mitigationSummary" => change.Incident.MitigationSummary,
            _ => change.Incident.ResolutionSummary,
        };
        Assert.Equal("Card payments fail", value);
    }

    [Fact]
    public void EmptyDetailClearsTheFieldAndRecordsANullTo()
    {
        var change = Apply(new IncidentEdit { CustomerImpact = "" }, Incident() with { CustomerImpact = "Some users" });

        var entry = Assert.Single(change.Entries);
        Assert.Equal("impact", Text(entry.Data, "field"));
        Assert.Equal("Some users", Text(entry.Data, "from"));
        Assert.Null(entry.Data!["to"]);
        Assert.Null(change.Incident.CustomerImpact);
    }

    [Fact]
    public void ServicesEditWritesOneServicesChangedEntryWithAddedAndRemoved()
    {
        var change = Apply(new IncidentEdit { AddServices = ["Web", " API "], RemoveServices = ["DB", "queue"] });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.ServicesChanged, entry.Kind);
        Assert.Equal(["web"], Strings(entry.Data, "added"));
        Assert.Equal(["db"], Strings(entry.Data, "removed"));
        Assert.Equal(["api", "web"], change.Incident.Services);
    }

    [Fact]
    public void ServicesEditOnlyRemovingWritesAnEmptyAddedList()
    {
        var change = Apply(new IncidentEdit { RemoveServices = ["api"] });

        var entry = Assert.Single(change.Entries);
        Assert.Empty(Strings(entry.Data, "added"));
        Assert.Equal(["api"], Strings(entry.Data, "removed"));
        Assert.Equal(["db"], change.Incident.Services);
    }

    [Fact]
    public void ServicesEditPushingPast30ServicesFailsOnServices()
    {
        var current = Incident() with { Services = [.. Enumerable.Range(1, 30).Select(i => $"svc{i}")] };

        var error = Assert.Throws<IncidentValidationException>(() => Apply(new IncidentEdit { AddServices = ["one-more"] }, current));

        Assert.Equal("services", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void LinkEditWritesOneResourceLinkedEntryAndAddsTheLink()
    {
        var change = Apply(new IncidentEdit { Link = (LinkType.Alert, " https://alerts.example.com/42 ") });

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.ResourceLinked, entry.Kind);
        Assert.Equal("resource_linked", entry.Kind.ToWireName());
        Assert.Equal("alert", Text(entry.Data, "type"));
        Assert.Equal("https://alerts.example.com/42", Text(entry.Data, "target"));
        var link = Assert.Single(change.Incident.Links);
        Assert.Equal(new LinkedResource(LinkType.Alert, "https://alerts.example.com/42", Now, "U5"), link);
    }

    [Fact]
    public void LinkEditWithAPlainIdIsAccepted()
    {
        var change = Apply(new IncidentEdit { Link = (LinkType.Deploy, "deploy-1234") });

        Assert.Equal("deploy", Text(Assert.Single(change.Entries).Data, "type"));
        Assert.Equal("deploy-1234", Assert.Single(change.Incident.Links).Target);
    }

    [Fact]
    public void LinkingTheSameResourceTwiceThrowsConflict()
    {
        var current = Incident() with { Links = [new LinkedResource(LinkType.Trace, "abc123", T0, "U1")] };

        var error = Assert.Throws<IncidentConflictException>(() => Apply(new IncidentEdit { Link = (LinkType.Trace, " abc123 ") }, current));

        Assert.Contains("INC-7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkingTheSameTargetAsAnotherTypeIsAccepted()
    {
        var current = Incident() with { Links = [new LinkedResource(LinkType.Trace, "abc123", T0, "U1")] };

        var change = Apply(new IncidentEdit { Link = (LinkType.Error, "abc123") }, current);

        Assert.Equal(2, change.Incident.Links.Count);
    }

    [Theory]
    [InlineData("ftp://files.example.com/a")]
    [InlineData("javascript://alert(1)")]
    [InlineData("http://")]
    [InlineData("")]
    [InlineData("   ")]
    public void LinkEditWithAnInvalidTargetFailsOnTheTarget(string target)
    {
        var error = Assert.Throws<IncidentValidationException>(() => Apply(new IncidentEdit { Link = (LinkType.Alert, target) }));

        Assert.Equal("targetId", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void LinkEditWithAnOverlongTargetFailsOnTheTarget()
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => Apply(new IncidentEdit { Link = (LinkType.Alert, new string('a', 2_001)) }));

        Assert.Equal("targetId", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void EditOfSeveralFieldsWritesOneEntryPerField()
    {
        var edit = new IncidentEdit
        {
            Status = IncidentStatus.Stable,
            Severity = Severity.Sev3,
            CommanderId = "U2",
            Title = "Checkout recovered",
            MitigationSummary = "Rolled back",
            AddServices = ["web"],
            Link = (LinkType.Deploy, "d-1"),
        };

        var change = Apply(edit);

        Assert.Equal(
            [
                TimelineEntryKind.StatusChanged,
                TimelineEntryKind.SeverityChanged,
                TimelineEntryKind.CommanderChanged,
                TimelineEntryKind.DetailsChanged,
                TimelineEntryKind.DetailsChanged,
                TimelineEntryKind.ServicesChanged,
                TimelineEntryKind.ResourceLinked,
            ],
            change.Entries.Select(e => e.Kind));
        Assert.All(change.Entries, e => Assert.Equal(Now, e.OccurredAt));
        Assert.All(change.Entries, e => Assert.Equal("U5", e.ActorId));
        Assert.Equal(IncidentStatus.Stable, change.Incident.Status);
        Assert.Equal(Severity.Sev3, change.Incident.Severity);
        Assert.Equal("U2", change.Incident.CommanderId);
        Assert.Equal("Checkout recovered", change.Incident.Title);
        Assert.Equal("Rolled back", change.Incident.MitigationSummary);
        Assert.Equal(["api", "db", "web"], change.Incident.Services);
        Assert.Single(change.Incident.Links);
    }

    [Fact]
    public void AnEmptyEditWritesNoEntriesAndKeepsTheIncident()
    {
        var current = Incident();

        var change = IncidentChanges.Apply(current, new IncidentEdit(), "U5", Now);

        Assert.Empty(change.Entries);
        Assert.Same(current, change.Incident);
    }

    [Fact]
    public void AnEditRepeatingTheCurrentValuesWritesNoEntries()
    {
        var current = Incident() with { Description = "Payments fail" };
        var edit = new IncidentEdit
        {
            Status = IncidentStatus.Active,
            Severity = Severity.Sev2,
            CommanderId = "<@U1|carol>",
            Title = "  Checkout  is down ",
            Description = " Payments fail ",
            CustomerImpact = "",
            AddServices = ["API", "db"],
            RemoveServices = ["not-there"],
        };

        var change = IncidentChanges.Apply(current, edit, "U5", Now);

        Assert.Empty(change.Entries);
        Assert.Same(current, change.Incident);
    }

    [Fact]
    public void ApplyDoesNotChangeTheIncidentItWasGiven()
    {
        var current = Incident();

        _ = IncidentChanges.Apply(current, new IncidentEdit { Status = IncidentStatus.Resolved, Severity = Severity.Sev1 }, "U5", Now);

        Assert.Equal(IncidentStatus.Active, current.Status);
        Assert.Equal(Severity.Sev2, current.Severity);
        Assert.Null(current.ResolvedAt);
    }
}
