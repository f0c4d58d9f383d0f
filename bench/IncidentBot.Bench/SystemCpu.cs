using System.Globalization;

namespace IncidentBot.Bench;

/// <summary>
/// The whole machine's CPU time from /proc/stat, so a phase can say how much of the cores went to processes
/// other than the bot and the generator (builds, tests: this machine is shared).
/// </summary>
public sealed record SystemCpu(TimeSpan Busy, TimeSpan IoWait, TimeSpan Steal)
{
    // /proc/stat counts in USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    public static SystemCpu Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return new SystemCpu(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return new SystemCpu(Seconds(busy), Seconds(fields[4]), Seconds(fields[7]));
    }

    public static SystemCpu operator -(SystemCpu after, SystemCpu before) =>
        new(after.Busy - before.Busy, after.IoWait - before.IoWait, after.Steal - before.Steal);

    public static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);
}
