namespace IncidentBot.Incidents;

/// <summary>"Did you mean …?" for a word typed by a person: a subcommand, a configuration key.</summary>
public static class Spelling
{
    /// <returns>
    /// The candidate closest to <paramref name="typed"/> (case ignored), when it is within one edit for words of up
    /// to four letters and two for longer ones; a swap of two neighbouring letters is one edit. Otherwise null.
    /// </returns>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var allowed = typed.Length <= 4 ? 1 : 2;
        string? best = null;
        var bestDistance = allowed + 1;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>Insertions, deletions, substitutions and swaps of neighbouring letters (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
