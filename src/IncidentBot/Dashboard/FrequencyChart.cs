using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using IncidentBot.Incidents;

namespace IncidentBot.Dashboard;

/// <summary>One bar segment of the frequency chart: a severity's share of a week or month, in SVG units.</summary>
public sealed record ChartSegment(double X, double Y, double Width, double Height, Severity Severity, string Label);

/// <summary>
/// Incidents per week or month, stacked by severity, laid out for an SVG the page draws itself (no chart library,
/// nothing run in the browser).
/// </summary>
public sealed class FrequencyChart
{
    public const double Width = 720;
    public const double Height = 220;
    public const double Bottom = 24;

    /// <summary>Most severe at the bottom of each bar.</summary>
    public static readonly Severity[] Stack = [Severity.Sev1, Severity.Sev2, Severity.Sev3, Severity.Sev4, Severity.Sev5, Severity.Unknown];

    public FrequencyChart(IReadOnlyList<FrequencyBucket> buckets, bool monthly)
    {
        Max = Math.Max(1, buckets.Select(b => b.Total).DefaultIfEmpty().Max());
        var slot = Width / Math.Max(1, buckets.Count);
        var barWidth = Math.Max(2, slot * 0.7);
        var segments = new List<ChartSegment>();
        var labels = new List<(double X, string Text)>();
        for (var i = 0; i < buckets.Count; i++)
        {
            var bucket = buckets[i];
            var x = i * slot + (slot - barWidth) / 2;
            var y = Height - Bottom;
            var name = monthly ? bucket.Start.ToString("MMM yyyy", CultureInfo.InvariantCulture) : $"week of {bucket.Start:yyyy-MM-dd}";
            foreach (var severity in Stack)
            {
                var count = bucket.BySeverity.GetValueOrDefault(severity);
                if (count == 0)
                {
                    continue;
                }

                var height = (Height - Bottom - 8) * count / Max;
                y -= height;
                segments.Add(new ChartSegment(x, y, barWidth, height, severity, $"{name}: {count} {severity.ToLabel()}"));
            }

            if (buckets.Count <= 16 || i % (int)Math.Ceiling(buckets.Count / 12.0) == 0)
            {
                labels.Add((x + barWidth / 2, monthly ? bucket.Start.ToString("MMM", CultureInfo.InvariantCulture) : bucket.Start.ToString("MM-dd", CultureInfo.InvariantCulture)));
            }
        }

        Segments = segments;
        Labels = labels;
    }

    public int Max { get; }
    public IReadOnlyList<ChartSegment> Segments { get; }
    public IReadOnlyList<(double X, string Text)> Labels { get; }

    /// <summary>An SVG <c>text</c> element, which Razor keeps for its own use inside code.</summary>
    public static IHtmlContent Text(double x, double y, string content, bool centred = false) => new HtmlString(
        $"<text x=\"{N(x)}\" y=\"{N(y)}\"{(centred ? " text-anchor=\"middle\"" : "")}>{HtmlEncoder.Default.Encode(content)}</text>");

    /// <summary>SVG attributes are written with a dot, whatever the culture.</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
