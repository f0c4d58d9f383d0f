using System.Reflection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Alerts;

/// <summary>
/// Checks <c>Alerts</c> at start, each failure one line naming the key: the rules, the group window, the secrets,
/// and misspelt keys inside the rules and the sources (the start-up check looks only one level down).
/// </summary>
internal sealed class AlertsOptionsValidator(IConfiguration configuration) : IValidateOptions<AlertsOptions>
{
    private static readonly TimeSpan MaxGroupWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        var error = UnknownKey() ?? Values(options);
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }

    private static string? Values(AlertsOptions options)
    {
        if (options.GroupWindow < TimeSpan.Zero || options.GroupWindow > MaxGroupWindow)
        {
            return $"Alerts:GroupWindow must be between 00:00:00 (no grouping) and 1.00:00:00, not {options.GroupWindow}.";
        }

        var secrets = options.PagerDuty.SigningSecrets;
        for (var i = 0; i < secrets.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(secrets[i]))
            {
                return $"Alerts:PagerDuty:SigningSecrets:{i} is empty; copy the secret PagerDuty shows for the webhook subscription.";
            }
        }

        AlertRules.Compile(options.Rules, out var error);
        return error;
    }

    private string? UnknownKey()
    {
        var section = configuration.GetSection(AlertsOptions.Section);
        return section.GetSection("Rules").GetChildren().Select(rule => UnknownKey(rule, typeof(AlertRuleOptions))).FirstOrDefault(e => e is not null)
            ?? UnknownKey(section.GetSection(nameof(AlertsOptions.PagerDuty)), typeof(PagerDutyAlertOptions))
            ?? UnknownKey(section.GetSection(nameof(AlertsOptions.Alertmanager)), typeof(SourceSwitch))
            ?? UnknownKey(section.GetSection(nameof(AlertsOptions.Generic)), typeof(SourceSwitch));
    }

    private static string? UnknownKey(IConfigurationSection section, Type optionsType)
    {
        var known = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToList();
        var unknown = section.GetChildren().FirstOrDefault(child => !known.Contains(child.Key, StringComparer.OrdinalIgnoreCase));
        return unknown is null
            ? null
            : $"{unknown.Path} is not a setting IncidentBot knows; here the settings are {string.Join(", ", known.Order())}.";
    }
}
