using Microsoft.Extensions.Options;

namespace IncidentBot.Dora;

/// <summary>The <c>Dora</c> section: where incident events are pushed (Datadog's DORA Metrics API or alike).</summary>
public sealed class DoraOptions
{
    public const string Section = "Dora";

    /// <summary>The full URL events are posted to, e.g. https://api.datadoghq.com/api/v2/dora/incident.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sent as the <c>DD-API-KEY</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Sent as <c>team</c>; DORA needs services or a team, so it is the one of incidents that name no service.</summary>
    public string? Team { get; set; }

    /// <summary>Sent as <c>env</c> for incidents that name no environment.</summary>
    public string? Environment { get; set; }

    /// <summary>One delivery attempt, from request to answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; it doubles with each failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts, a Retry-After included.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(ApiKey);
}

internal sealed class DoraOptionsValidator : IValidateOptions<DoraOptions>
{
    public ValidateOptionsResult Validate(string? name, DoraOptions options)
    {
        var hasEndpoint = !string.IsNullOrWhiteSpace(options.Endpoint);
        var hasKey = !string.IsNullOrWhiteSpace(options.ApiKey);
        if (hasEndpoint != hasKey)
        {
            return ValidateOptionsResult.Fail(hasEndpoint
                ? "Dora:ApiKey is required when Dora:Endpoint is set (DORA events are sent with a DD-API-KEY header)."
                : "Dora:Endpoint is required when Dora:ApiKey is set, e.g. https://api.datadoghq.com/api/v2/dora/incident.");
        }

        if (hasEndpoint && !(Uri.TryCreate(options.Endpoint!.Trim(), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            return ValidateOptionsResult.Fail(
                $"Dora:Endpoint must be an http(s) URL such as https://api.datadoghq.com/api/v2/dora/incident, not '{options.Endpoint}'.");
        }

        return (options.RequestTimeout, options.RetryDelay, options.MaxRetryDelay) switch
        {
            var (timeout, _, _) when timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromMinutes(5) =>
                ValidateOptionsResult.Fail($"Dora:RequestTimeout must be between 00:00:01 and 00:05:00, not {timeout}."),
            var (_, first, _) when first < TimeSpan.FromSeconds(1) =>
                ValidateOptionsResult.Fail($"Dora:RetryDelay must be at least 00:00:01, not {first}."),
            var (_, first, longest) when longest < first =>
                ValidateOptionsResult.Fail($"Dora:MaxRetryDelay must be at least Dora:RetryDelay ({first}), not {longest}."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
