using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Slack;

/// <summary>Slack credentials and transport limits, bound from the <c>Slack</c> configuration section.</summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string SectionName = "Slack";

    /// <summary>The bot token (<c>xoxb-…</c>) sent with every Web API call.</summary>
    [Required]
    public string BotToken { get; set; } = "";

    /// <summary>Verifies HTTP requests from Slack; not needed when only Socket Mode is used.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The app-level token (<c>xapp-…</c>) for Socket Mode; empty means HTTP mode.</summary>
    public string AppToken { get; set; } = "";

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Where declarations and status changes are announced (channel id or name); optional.</summary>
    public string? AnnouncementChannel { get; set; }

    /// <summary>Bodies above this are refused with 413 before being verified or parsed.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a slash command or view submission handler may take before the 3-second ack is at risk.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02.900")]
    public TimeSpan SynchronousHandlerTimeout { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>Retries after the first attempt of a Web API call (429, 5xx, network errors).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay for 5xx and network errors; doubles with jitter on each attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Caps a 429's Retry-After, so one call never waits for longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt of a Web API call may take before it counts as failed (and is retried).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ApiAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a Web API call may take in all: attempts, backoff, Retry-After waits and the rate budget.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ApiTotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Whether calls wait for the per-method rate budget of Slack's tiers.</summary>
    public bool UseRateBudget { get; set; } = true;

    /// <summary>How many acknowledged items the in-memory inbox holds before Slack is told to retry (a durable inbox has no such bound).</summary>
    [Range(1, 100_000)]
    public int WorkQueueCapacity { get; set; } = 1000;

    /// <summary>How many items that may run in any order (e.g. channel messages) run at once.</summary>
    [Range(1, 256)]
    public int WorkerConcurrency { get; set; } = 64;

    /// <summary>How many Socket Mode connections are kept open at once (Slack allows 10); each envelope arrives on one of them.</summary>
    /// <remarks>Two by default, so a refresh or a drop of one leaves the other to carry the traffic.</remarks>
    [Range(1, 10)]
    public int SocketModeConnections { get; set; } = 2;

    /// <summary>First wait before reconnecting a dropped Socket Mode connection; doubles with jitter on each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan SocketModeReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between Socket Mode reconnect attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan SocketModeMaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Asks Slack to refresh each Socket Mode connection every few minutes, to exercise reconnects.</summary>
    public bool SocketModeDebugReconnects { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SigningSecret) && string.IsNullOrWhiteSpace(AppToken))
        {
            yield return new ValidationResult(
                "Slack:SigningSecret is required for HTTP mode (or set Slack:AppToken for Socket Mode).",
                [nameof(SigningSecret), nameof(AppToken)]);
        }

        if (ApiTotalTimeout < ApiAttemptTimeout)
        {
            yield return new ValidationResult(
                "Slack:ApiTotalTimeout must not be shorter than Slack:ApiAttemptTimeout.",
                [nameof(ApiTotalTimeout)]);
        }

        if (SocketModeMaxReconnectDelay < SocketModeReconnectDelay)
        {
            yield return new ValidationResult(
                "Slack:SocketModeMaxReconnectDelay must not be shorter than Slack:SocketModeReconnectDelay.",
                [nameof(SocketModeMaxReconnectDelay)]);
        }
    }
}
