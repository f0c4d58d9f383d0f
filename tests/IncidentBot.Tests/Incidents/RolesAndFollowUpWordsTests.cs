using IncidentBot.Incidents;
using IncidentBot.Incidents.Commands;
using IncidentBot.Incidents.Mentions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Tests.Incidents;

/// <summary>How roles and follow-ups are read from what people type: slash commands, mentions, due dates.</summary>
public sealed class RolesAndFollowUpWordsTests
{
    private static readonly DateOnly Monday = new(2026, 11, 2);

    [Theory]
    [InlineData("role scribe <@U0BOB|bob>", "scribe", "U0BOB")]
    [InlineData("role Comms-Lead <@U0BOB>", "comms lead", "U0BOB")]
    [InlineData("role INC-4 comms  lead <@U0BOB>", "comms lead", "U0BOB")]
    public void ARoleCommandNamesAConfiguredRoleAndOnePerson(string text, string role, string user)
    {
        var command = Assert.IsType<RoleCommand>(IncidentCommandParser.Parse(text));

        Assert.Equal((role, user), (command.Role, command.UserId));
    }

    [Fact]
    public void TheRolesOfTheConfigurationAreTheOnesAccepted()
    {
        var roles = new[] { "scribe", "customer liaison" };

        Assert.IsType<RoleCommand>(IncidentCommandParser.Parse("role customer liaison <@U0BOB>", roles));
        var refused = Assert.IsType<InvalidCommand>(IncidentCommandParser.Parse("role comms lead <@U0BOB>", roles));
        Assert.Equal("Usage: /incident role <scribe|customer liaison> <@person> — e.g. /incident role scribe @alice", refused.Usage);
    }

    [Theory]
    [InlineData("role scrbe <@U0BOB>", "'scrbe' is not a role. Did you mean scribe?")]
    [InlineData("role", "Say which role.")]
    [InlineData("role scribe", "Say who becomes the scribe: mention them with @.")]
    [InlineData("role scribe @bob", "'@bob' reached me as plain text")]
    [InlineData("role scribe <@U0BOB> <@U0CAROL>", "Name one scribe.")]
    public void AWrongRoleCommandSaysWhatIsWrong(string text, string error) =>
        Assert.StartsWith(error, Assert.IsType<InvalidCommand>(IncidentCommandParser.Parse(text)).Error);

    [Theory]
    [InlineData("followup Add retries <@U0BOB|bob> due 2026-12-15", "Add retries", "U0BOB", "2026-12-15")]
    [InlineData("followup Add retries due friday <@U0BOB>", "Add retries", "U0BOB", "2026-11-06")]
    [InlineData("followup Fix the outage caused by timeouts", "Fix the outage caused by timeouts", null, null)]
    [InlineData("followup Document why it was due to DNS by tomorrow", "Document why it was due to DNS", null, "2026-11-03")]
    [InlineData("followup INC-4 Write the runbook in 2 weeks", "Write the runbook in 2 weeks", null, null)]
    [InlineData("followup Write the runbook due in 2 weeks", "Write the runbook", null, "2026-11-16")]
    public void AFollowUpCommandTakesItsOwnerAndDueDateOffTheEnd(string text, string what, string? owner, string? due)
    {
        var command = Assert.IsType<FollowUpCommand>(IncidentCommandParser.Parse(text));

        var followUp = command.Request.ToNew(Monday);
        Assert.Equal((what, owner, due), (followUp.Text, followUp.OwnerId, followUp.DueOn?.ToString("yyyy-MM-dd")));
    }

    [Fact]
    public void FollowUpDoneNamesTheFollowUp()
    {
        Assert.Equal(3, Assert.IsType<FollowUpDoneCommand>(IncidentCommandParser.Parse("followup done #3")).Id);
        Assert.IsType<InvalidCommand>(IncidentCommandParser.Parse("followup <@U0BOB>"));
    }

    [Theory]
    [InlineData("monday", "2026-11-09")]
    [InlineData("next fri", "2026-11-06")]
    [InlineData("today", "2026-11-02")]
    [InlineData("in 3 days", "2026-11-05")]
    public void ADueDateIsReadAgainstToday(string due, string day) =>
        Assert.Equal(DateOnly.Parse(day), FollowUpRequest.ParseDue(due, Monday));

    [Theory]
    [InlineData("<@U0BOT> make <@U0BOB> the scribe", "scribe", "U0BOB")]
    [InlineData("<@U0BOT> please make <@U0BOB|bob> our comms lead", "comms lead", "U0BOB")]
    [InlineData("<@U0BOT> assign <@U0BOB> as comms lead", "comms lead", "U0BOB")]
    public void TheMentionGivesARole(string text, string role, string user)
    {
        var intent = Assert.IsType<AssignRoleIntent>(MentionGrammar.Parse(text, "U0BOT"));

        Assert.Equal((role, user), (intent.Role, intent.UserId));
    }

    [Fact]
    public void MakingSomeoneTheCommanderStaysACommanderChange() =>
        Assert.IsType<ChangeCommanderIntent>(MentionGrammar.Parse("<@U0BOT> make <@U0BOB> the commander", "U0BOT"));

    [Theory]
    [InlineData("<@U0BOT> follow-up: add retries <@U0BOB> due friday", "add retries", "U0BOB", "friday")]
    [InlineData("<@U0BOT> followup - rotate the webhook secret", "rotate the webhook secret", null, null)]
    [InlineData("<@U0BOT> add a follow up: page the DB team", "page the DB team", null, null)]
    public void TheMentionAddsAFollowUp(string text, string what, string? owner, string? due)
    {
        var intent = Assert.IsType<AddFollowUpIntent>(MentionGrammar.Parse(text, "U0BOT"));

        Assert.Equal(new FollowUpRequest(what, owner, due), intent.Request);
    }

    [Fact]
    public void AQuestionAboutFollowUpsIsAQuestion() =>
        Assert.IsType<QuestionIntent>(MentionGrammar.Parse("<@U0BOT> what follow-ups are open?", "U0BOT"));

    [Fact]
    public void ARoleIsReadAsPeopleWriteItAndAWrongOneNamesTheRoles()
    {
        var roles = new IncidentRoles(Options.Create(new IncidentsOptions()));

        Assert.Equal("comms lead", roles.Require("Comms_Lead"));
        var refused = Assert.Throws<IncidentValidationException>(() => roles.Require("coms lead"));
        Assert.Equal("'coms lead' is not a role; the roles are scribe, comms lead (and commander). Did you mean comms lead?", refused.Message);
    }
}
