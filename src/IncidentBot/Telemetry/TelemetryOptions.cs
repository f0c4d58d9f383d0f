namespace IncidentBot.Telemetry;

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// When true, <c>/metrics</c> needs <c>Authorization: Bearer</c> with a key of <c>Api:Keys</c>, for a bot whose port is
    /// reachable from where it should not be. Off by default: the metrics hold counts only, and a scraper usually sits
    /// next to the bot.
    /// </summary>
    public bool MetricsRequireApiKey { get; set; }
}
