using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Reminders;

/// <summary>
/// The <c>Reminders</c> section: how long an open incident of each severity may go without an update, and how often
/// owners hear of their open follow-ups.
/// </summary>
public sealed class RemindersOptions
{
    public const string Section = "Reminders";

    public UpdateIntervals UpdateEvery { get; set; } = new();

    /// <summary>How often owners of open follow-ups of resolved incidents are reminded of them; empty for never.</summary>
    public TimeSpan? FollowUpsEvery { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan? IntervalFor(Severity severity) => severity switch
    {
        Severity.Sev1 => UpdateEvery.Sev1,
        Severity.Sev2 => UpdateEvery.Sev2,
        Severity.Sev3 => UpdateEvery.Sev3,
        Severity.Sev4 => UpdateEvery.Sev4,
        Severity.Sev5 => UpdateEvery.Sev5,
        _ => null,
    };
}

/// <summary>Empty means no reminders for that severity.</summary>
public sealed class UpdateIntervals
{
    public TimeSpan? Sev1 { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan? Sev2 { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan? Sev3 { get; set; }
    public TimeSpan? Sev4 { get; set; }
    public TimeSpan? Sev5 { get; set; }
}

internal sealed class RemindersOptionsValidator : IValidateOptions<RemindersOptions>
{
    public ValidateOptionsResult Validate(string? name, RemindersOptions options)
    {
        foreach (var severity in new[] { Severity.Sev1, Severity.Sev2, Severity.Sev3, Severity.Sev4, Severity.Sev5 })
        {
            if (options.IntervalFor(severity) is { } interval && interval < TimeSpan.FromMinutes(1))
            {
                var key = $"Reminders:UpdateEvery:Sev{(int)severity}";
                return ValidateOptionsResult.Fail($"{key} must be at least 00:01:00, or empty for no reminders, not {interval}.");
            }
        }

        if (options.FollowUpsEvery is { } followUps && followUps < TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail($"Reminders:FollowUpsEvery must be at least 01:00:00, or empty for no follow-up reminders, not {followUps}.");
        }

        return ValidateOptionsResult.Success;
    }
}
