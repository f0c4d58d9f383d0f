namespace IncidentBot.Incidents;

/// <summary>SEV-1 is the most severe; <see cref="Unknown"/> means "still under initial investigation".</summary>
public enum Severity
{
    Unknown = 0,
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
    Sev5 = 5,
}

public static class SeverityText
{
    public const string Accepted = "SEV-1 … SEV-5 (also sev1, sev 1, 1, critical, high/major, moderate/medium, low, minor) or UNKNOWN";

    private static readonly Dictionary<string, Severity> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = Severity.Sev1,
        ["high"] = Severity.Sev2,
        ["major"] = Severity.Sev2,
        ["moderate"] = Severity.Sev3,
        ["medium"] = Severity.Sev3,
        ["low"] = Severity.Sev4,
        ["minor"] = Severity.Sev5,
        ["unknown"] = Severity.Unknown,
    };

    public static string ToLabel(this Severity severity) =>
        severity == Severity.Unknown ? "UNKNOWN" : $"SEV-{(int)severity}";

    public static string Describe(this Severity severity) => severity switch
    {
        Severity.Sev1 => "critical",
        Severity.Sev2 => "high",
        Severity.Sev3 => "moderate",
        Severity.Sev4 => "low",
        Severity.Sev5 => "minor",
        _ => "initial investigation",
    };

    /// <summary>Accepts <c>SEV-1</c>, <c>sev1</c>, <c>sev 1</c>, <c>sev_1</c>, <c>1</c>, the impact words and <c>UNKNOWN</c>.</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        severity = Severity.Unknown;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (Words.TryGetValue(trimmed, out severity))
        {
            return true;
        }

        var digits = trimmed.StartsWith("sev", StringComparison.OrdinalIgnoreCase)
            ? trimmed[3..].TrimStart(' ', '-', '_')
            : trimmed;
        if (digits.Length == 1 && digits[0] is >= '1' and <= '5')
        {
            severity = (Severity)(digits[0] - '0');
            return true;
        }

        return false;
    }
}
