namespace IncidentBot.Incidents.Mentions;

/// <summary>What an <c>@IncidentBot …</c> mention asks for, as <see cref="MentionGrammar"/> read it.</summary>
public abstract record MentionIntent;

/// <summary>"declare an incident [about …]"; a null title means: ask for the details in a modal.</summary>
public sealed record DeclareIntent(string? Title) : MentionIntent;

/// <summary>
/// "mark this incident stable", "resolve this incident: rolled back v2.3.1". <see cref="Summary"/> is the text
/// after ':' or '-', with its Slack markup: the mitigation summary for stable, the resolution summary for
/// resolved or completed.
/// </summary>
public sealed record ChangeStatusIntent(IncidentStatus Status, string? Summary) : MentionIntent;

/// <summary>"update this incident to SEV-3".</summary>
public sealed record ChangeSeverityIntent(Severity Severity) : MentionIntent;

/// <summary>"make @x the commander"; <see cref="UserId"/> is the Slack user id.</summary>
public sealed record ChangeCommanderIntent(string UserId) : MentionIntent;

/// <summary>"make @x the scribe"; <see cref="Role"/> as written, for <see cref="IncidentRoles"/> to read.</summary>
public sealed record AssignRoleIntent(string Role, string UserId) : MentionIntent;

/// <summary>"follow-up: add retries to the payment client @bob due friday".</summary>
public sealed record AddFollowUpIntent(FollowUpRequest Request) : MentionIntent;

/// <summary>Everything that is not a state change: for the assistant. The text without the bot's mention.</summary>
public sealed record QuestionIntent(string Question) : MentionIntent;

/// <summary>A bare mention, or "help".</summary>
public sealed record HelpIntent : MentionIntent;
