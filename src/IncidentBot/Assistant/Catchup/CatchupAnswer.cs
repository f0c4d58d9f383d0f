using IncidentBot.Incidents;

namespace IncidentBot.Assistant.Catchup;

/// <summary>What changed in an incident since someone last looked, each line cited; <see cref="NothingNew"/> when nothing did.</summary>
public sealed record CatchupAnswer : AssistantAnswer
{
    public required IncidentBrief Incident { get; init; }
    public required CatchupBasis Basis { get; init; }

    /// <summary>Where the window starts; null for the whole incident.</summary>
    public DateTimeOffset? From { get; init; }
    public string? UserId { get; init; }

    /// <summary>The person's last entry, after which the window starts.</summary>
    public long? LastSeenEntryId { get; init; }

    /// <summary>Timeline entries read in the window, deleted ones included.</summary>
    public required int EntriesRead { get; init; }
    public bool NothingNew => StateChanges.Count + Findings.Count + Actions.Count + Decisions.Count + OpenQuestions.Count == 0;

    /// <summary>Status, severity and commander changes.</summary>
    public IReadOnlyList<CitedLine> StateChanges { get; init; } = [];

    /// <summary>What was learned: impact, hypotheses, causes.</summary>
    public IReadOnlyList<CitedLine> Findings { get; init; } = [];

    /// <summary>What was done or is being tried.</summary>
    public IReadOnlyList<CitedLine> Actions { get; init; } = [];

    /// <summary>Choices made and follow-ups agreed.</summary>
    public IReadOnlyList<CitedLine> Decisions { get; init; } = [];

    /// <summary>Questions asked in the window that no one has answered yet.</summary>
    public IReadOnlyList<CitedLine> OpenQuestions { get; init; } = [];

    /// <summary>A catch-up of the window with no lines yet; a step adds its sections, then its text.</summary>
    public static CatchupAnswer Of(Incident incident, CatchupWindow window, int entriesRead, string engine) => new()
    {
        Text = "",
        Citations = [],
        Engine = engine,
        Incident = IncidentBrief.Of(incident),
        Basis = window.Basis,
        From = window.From,
        UserId = window.UserId,
        LastSeenEntryId = window.LastSeen?.Id,
        EntriesRead = entriesRead,
    };
}
