namespace IncidentBot.Incidents;

/// <summary>
/// A past incident brought in with its whole history from the Slack channel it was worked in (a workspace export):
/// its declaration and resolution (<see cref="IncidentChanges.DeclareResolved"/>) and the channel's messages.
/// </summary>
/// <param name="Number">The number the incident had (from its channel's name); null to take the next one.</param>
/// <param name="ChannelId">
/// The channel it comes from. An incident already holding that channel's messages (imported before, or declared in
/// the channel while the bot was there) is that incident: only its missing messages are added.
/// </param>
public sealed record IncidentImport(IncidentChange Declaration, long? Number, string ChannelId, IReadOnlyList<ImportedMessage> Messages);

/// <summary>A message of the channel as the export has it: its last text, and when that text was written.</summary>
public sealed record ImportedMessage(NewTimelineEntry Entry, DateTimeOffset? EditedAt = null);

/// <summary>What an import did to one incident.</summary>
/// <param name="Created">False when the channel's incident was there already.</param>
/// <param name="MessagesAdded">Messages stored now; those there before are not stored again.</param>
public sealed record IncidentImportResult(Incident Incident, bool Created, int MessagesAdded, long? RequestedNumber)
{
    /// <summary>Its number was taken by another incident, so it got the next free one.</summary>
    public bool Renumbered => Created && RequestedNumber is { } requested && requested != Incident.Number;
}
