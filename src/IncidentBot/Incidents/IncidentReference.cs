namespace IncidentBot.Incidents;

/// <summary>Incident numbers are shown as <c>INC-&lt;n&gt;</c>; people write them many ways.</summary>
public static class IncidentReference
{
    public const string Accepted = "INC-42, inc-42, incident-42, #42 or 42";

    private static readonly string[] Prefixes = ["incident-", "incident ", "inc-", "inc ", "inc", "#"];

    public static string Format(long number) => $"INC-{number}";

    /// <summary>Accepts <c>INC-42</c>, <c>inc-42</c>, <c>incident-42</c>, <c>#42</c> and <c>42</c>.</summary>
    public static bool TryParse(string? text, out long number)
    {
        number = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        foreach (var prefix in Prefixes)
        {
            if (span.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                span = span[prefix.Length..];
                break;
            }
        }

        if (span.IsEmpty || !span.ContainsOnlyDigits())
        {
            return false;
        }

        return long.TryParse(span, System.Globalization.NumberStyles.None, null, out number) && number > 0;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');
}
