namespace IncidentBot.Tests.Robustness;

/// <summary>What a hostile request may get; whatever it gets, it is never a 5xx and nothing is stored.</summary>
public enum Verdict
{
    /// <summary>A 4xx (a specific one when the case names it).</summary>
    Refused,

    /// <summary>A 200 and nothing happens.</summary>
    Ignored,

    /// <summary>A 2xx or a 4xx: the request is answered, e.g. a read with odd filters or an ambiguous body.</summary>
    Answered,
}

/// <summary>One line of the corpus: a name, what must come back, and the request, built against the running bot.</summary>
public sealed record HostileCase(string Name, Verdict Verdict, Func<RobustnessBot, RawRequest> Request, int? Status = null)
{
    public override string ToString() => Name;
}
