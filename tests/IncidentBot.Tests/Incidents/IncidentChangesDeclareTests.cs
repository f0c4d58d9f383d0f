using IncidentBot.Incidents;
using static IncidentBot.Tests.Incidents.Samples;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentChangesDeclareTests
{
    [Fact]
    public void DeclareNormalisesTitleAndServices()
    {
        var draft = new IncidentDraft
        {
            Title = "  Checkout \t is\n  down  ",
            Services = [" API ", "api", "Web  Front", "WEB FRONT", "", "   ", "db"],
        };

        var incident = IncidentChanges.Declare(draft, T0).Incident;

        Assert.Equal("Checkout is down", incident.Title);
        Assert.Equal(["api", "web front", "db"], incident.Services);
    }

    [Fact]
    public void DeclareStartsAnActiveIncidentDeclaredNowAtVersionOne()
    {
        var draft = new IncidentDraft
        {
            Title = "Checkout is down",
            Severity = Severity.Sev2,
            DeclaredBy = "<@U9|alice>",
            CommanderId = " U1 ",
            Description = "  Payments fail  ",
            CustomerImpact = "",
            Environment = "prod",
        };

        var incident = IncidentChanges.Declare(draft, At(1)).Incident;

        Assert.Equal(IncidentStatus.Active, incident.Status);
        Assert.Equal(Severity.Sev2, incident.Severity);
        Assert.Equal("U9", incident.DeclaredBy);
        Assert.Equal("U1", incident.CommanderId);
        Assert.Equal("Payments fail", incident.Description);
        Assert.Null(incident.CustomerImpact);
        Assert.Equal("prod", incident.Environment);
        Assert.Equal(At(1), incident.DeclaredAt);
        Assert.Equal(At(1), incident.UpdatedAt);
        Assert.Equal(1, incident.Version);
        Assert.Null(incident.StableAt);
        Assert.Null(incident.ResolvedAt);
        Assert.Equal(0, incident.Number);
    }

    [Fact]
    public void DeclareWritesExactlyOneDeclaredEntry()
    {
        var draft = new IncidentDraft
        {
            Title = "Checkout is down",
            Severity = Severity.Sev1,
            Services = ["API", "Db"],
            DeclaredBy = "<@U9|alice>",
        };

        var change = IncidentChanges.Declare(draft, At(2));

        var entry = Assert.Single(change.Entries);
        Assert.Equal(TimelineEntryKind.Declared, entry.Kind);
        Assert.Equal(At(2), entry.OccurredAt);
        Assert.Equal("U9", entry.ActorId);
        Assert.Contains("Checkout is down", entry.Text, StringComparison.Ordinal);
        Assert.NotNull(entry.Data);
        Assert.Equal("SEV-1", entry.Data["severity"]!.GetValue<string>());
        Assert.Equal("active", entry.Data["status"]!.GetValue<string>());
        Assert.Equal(["api", "db"], entry.Data["services"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void DeclareWithoutSeverityIsUnknown()
    {
        var change = IncidentChanges.Declare(new IncidentDraft { Title = "Something is odd" }, T0);

        Assert.Equal(Severity.Unknown, change.Incident.Severity);
        Assert.Equal("UNKNOWN", Assert.Single(change.Entries).Data!["severity"]!.GetValue<string>());
        Assert.Empty(change.Incident.Services);
    }

    [Theory]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Completed)]
    public void DeclaringAnIncidentAlreadyResolvedSetsResolvedAtToNow(IncidentStatus status)
    {
        var change = IncidentChanges.Declare(new IncidentDraft { Title = "Blip", Status = status }, At(3));

        Assert.Equal(status, change.Incident.Status);
        Assert.Equal(At(3), change.Incident.ResolvedAt);
        Assert.Equal(TimeSpan.Zero, change.Incident.TimeToResolve);
        Assert.Equal(status.ToLabel(), Assert.Single(change.Entries).Data!["status"]!.GetValue<string>());
    }

    [Fact]
    public void DeclaringAStableIncidentSetsStableAtButNotResolvedAt()
    {
        var incident = IncidentChanges.Declare(new IncidentDraft { Title = "Blip", Status = IncidentStatus.Stable }, At(3)).Incident;

        Assert.Equal(At(3), incident.StableAt);
        Assert.Null(incident.ResolvedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void DeclareWithoutATitleFailsOnTitle(string title)
    {
        var error = Assert.Throws<IncidentValidationException>(() => IncidentChanges.Declare(new IncidentDraft { Title = title }, T0));

        Assert.Equal("title", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void DeclareWithA201CharacterTitleFailsOnTitle()
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Declare(new IncidentDraft { Title = new string('x', 201) }, T0));

        Assert.Equal("title", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void DeclareWithA200CharacterTitleIsAccepted()
    {
        var title = new string('x', 200);

        Assert.Equal(title, IncidentChanges.Declare(new IncidentDraft { Title = title }, T0).Incident.Title);
    }

    [Fact]
    public void DeclareWith31ServicesFailsOnServices()
    {
        var services = Enumerable.Range(1, 31).Select(i => $"svc{i}").ToList();

        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Declare(new IncidentDraft { Title = "Many", Services = services }, T0));

        Assert.Equal("services", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void DeclareWith30ServicesIsAccepted()
    {
        var services = Enumerable.Range(1, 30).Select(i => $"svc{i}").ToList();

        var incident = IncidentChanges.Declare(new IncidentDraft { Title = "Many", Services = services }, T0).Incident;

        Assert.Equal(30, incident.Services.Count);
    }

    [Theory]
    [InlineData("api,db")]
    [InlineData("api,")]
    public void DeclareWithACommaInAServiceNameFailsOnServices(string service)
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Declare(new IncidentDraft { Title = "Comma", Services = ["web", service] }, T0));

        Assert.Equal("services", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void DeclareWithAnOverlongServiceNameFailsOnServices()
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Declare(new IncidentDraft { Title = "Long", Services = [new string('s', 81)] }, T0));

        Assert.Equal("services", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void DeclareWithAUserIdContainingSpacesFailsOnDeclaredBy()
    {
        var error = Assert.Throws<IncidentValidationException>(
            () => IncidentChanges.Declare(new IncidentDraft { Title = "Who", DeclaredBy = "not an id" }, T0));

        Assert.Equal("declaredBy", Assert.Single(error.Errors).Key);
    }
}
