namespace IncidentBot.Incidents;

/// <summary>
/// Who will read what is about to be read: everyone sees every incident that is not private, and of the private ones
/// only those whose members they are. The one rule of private incidents; the reader applies it to every read
/// (<see cref="Storage.IncidentFilter.Audience"/>, <see cref="IncidentViewer"/>), so Slack, REST and any later view
/// cannot differ.
/// </summary>
public sealed class IncidentAudience
{
    private IncidentAudience(IReadOnlySet<long>? privateIncidents) => PrivateIncidents = privateIncidents;

    /// <summary>Sees every incident: the bot's own work, and API keys allowed to see private incidents.</summary>
    public static IncidentAudience Everyone { get; } = new(null);

    /// <summary>Sees no private incident: a public channel, an API key without access to private incidents.</summary>
    public static IncidentAudience PublicOnly { get; } = new(new HashSet<long>());

    /// <summary>The private incidents this audience sees, besides every public one; null when it sees all of them.</summary>
    public IReadOnlySet<long>? PrivateIncidents { get; }

    public bool SeesEveryIncident => PrivateIncidents is null;

    /// <summary>Sees the public incidents and these private ones.</summary>
    public static IncidentAudience MembersOf(IEnumerable<long> privateIncidents) => new(privateIncidents.ToHashSet());

    public bool CanSee(Incident incident) => !incident.IsPrivate || CanSeePrivate(incident.Number);

    public bool CanSeePrivate(long number) => PrivateIncidents?.Contains(number) ?? true;

    /// <summary>What both audiences see: an answer posted where several people read it shows only what all of them may.</summary>
    public IncidentAudience Intersect(IncidentAudience? other) =>
        other?.PrivateIncidents is not { } theirs ? this
        : PrivateIncidents is not { } mine ? other
        : new IncidentAudience(mine.Where(theirs.Contains).ToHashSet());

    public override string ToString() =>
        PrivateIncidents is null ? "everyone" : $"public and {PrivateIncidents.Count} private incident(s)";
}

/// <summary>
/// The audience of the work under way, set by the way in that knows who is asking (a REST key, a Slack user and the
/// place an answer goes) and read by the reader. Unset, it is <see cref="IncidentAudience.Everyone"/>, as for the
/// bot's own work (channel sync, reminders, embeddings), which never shows anything to anyone who asked.
/// </summary>
public static class IncidentViewer
{
    private static readonly AsyncLocal<IncidentAudience?> current = new();

    public static IncidentAudience Current => current.Value ?? IncidentAudience.Everyone;

    /// <summary>Reads made until the scope is disposed see only what <paramref name="audience"/> sees (and what any outer scope sees).</summary>
    public static IDisposable As(IncidentAudience audience)
    {
        var outer = current.Value;
        current.Value = audience.Intersect(outer);
        return new Scope(outer);
    }

    private sealed class Scope(IncidentAudience? outer) : IDisposable
    {
        public void Dispose() => current.Value = outer;
    }
}
