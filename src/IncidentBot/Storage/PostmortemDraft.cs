using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>One version of an incident's postmortem draft; every version is kept.</summary>
public sealed record PostmortemDraft(long IncidentNumber, int Version, string Markdown, DateTimeOffset CreatedAt, string? CreatedBy)
{
    public string Reference => IncidentReference.Format(IncidentNumber);
}
