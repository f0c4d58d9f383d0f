using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>The <c>Catchup</c> section: when someone counts as coming back to an incident channel.</summary>
public sealed class CatchupOptions
{
    public const string Section = "Catchup";

    /// <summary>
    /// A person's first message in an incident channel after this long without an entry there (no message, post or
    /// change) gets them, once, what changed meanwhile, only they see it; so does their joining the channel again.
    /// Zero turns both off.
    /// </summary>
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromHours(1);

    public bool WelcomesBack => AwayAfter > TimeSpan.Zero;
}

internal sealed class CatchupOptionsValidator : IValidateOptions<CatchupOptions>
{
    public ValidateOptionsResult Validate(string? name, CatchupOptions options) =>
        options.AwayAfter == TimeSpan.Zero || options.AwayAfter >= TimeSpan.FromMinutes(1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Catchup:AwayAfter must be at least 00:01:00, or 00:00:00 to welcome nobody back, not {options.AwayAfter}.");
}
