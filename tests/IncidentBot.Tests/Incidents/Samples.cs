using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

/// <summary>Distinct instants and a ready-made incident for the domain tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>T0 plus the given minutes, so every step of a test has its own instant.</summary>
    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    /// <summary>INC-7, SEV-2, active, commander U1, services api and db, declared at T0.</summary>
    public static Incident Incident(IncidentStatus status = IncidentStatus.Active) => new()
    {
        Number = 7,
        Title = "Checkout is down",
        Severity = Severity.Sev2,
        Status = status,
        CommanderId = "U1",
        Services = ["api", "db"],
        DeclaredBy = "U9",
        DeclaredAt = T0,
        UpdatedAt = T0,
        Version = 1,
    };
}
