using IncidentBot.Incidents;

namespace IncidentBot.Dora;

/// <summary>
/// Wakes the sender when a declaration or a resolution has committed. The event itself is already in the outbox:
/// the storage writes it in the same transaction as the change, so nothing is lost if the process dies before this
/// is told.
/// </summary>
public sealed class DoraOutboxObserver(DoraSender sender) : IIncidentObserver
{
    public void OnChanged(IncidentChanged change)
    {
        if (IsDeclaration(change) || IsResolution(change))
        {
            sender.Wake();
        }
    }

    // The core tells of a declaration (and of a channel attached) without entries.
    private static bool IsDeclaration(IncidentChanged change) => change.Entries.Count == 0;

    private static bool IsResolution(IncidentChanged change) =>
        change.Incident.ResolvedAt is not null && change.Entries.Any(entry => entry.Kind == TimelineEntryKind.StatusChanged);
}
