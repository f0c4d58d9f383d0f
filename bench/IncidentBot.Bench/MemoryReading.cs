using System.Globalization;

namespace IncidentBot.Bench;

/// <summary>VmRSS and VmHWM of a process, in bytes, from /proc (Linux).</summary>
public sealed record MemoryReading(long ResidentBytes, long PeakResidentBytes)
{
    public static MemoryReading Of(int processId)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }

        return new MemoryReading(rss, hwm);
    }

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
}
