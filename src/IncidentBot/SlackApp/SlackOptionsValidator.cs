using System.Text.RegularExpressions;
using IncidentBot.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>Names the Slack key at fault in words an operator can act on; never repeats a secret.</summary>
internal sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        if (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Fail("Slack:BotToken must be the bot token, which starts with 'xoxb-'.");
        }

        if (options.AppToken.Length > 0 && !options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Fail("Slack:AppToken must be an app-level token, which starts with 'xapp-'.");
        }

        if (options.SigningSecret.Length == 0 && options.AppToken.Length == 0)
        {
            return ValidateOptionsResult.Fail("Slack:SigningSecret is required for HTTP mode; or set Slack:AppToken to use Socket Mode.");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("http" or "https"))
        {
            return ValidateOptionsResult.Fail("Slack:ApiBaseUrl must be an http(s) URL such as https://slack.com/api/.");
        }

        if (!string.IsNullOrWhiteSpace(options.AnnouncementChannel) && !ChannelReference().IsMatch(options.AnnouncementChannel.Trim()))
        {
            return ValidateOptionsResult.Fail($"Slack:AnnouncementChannel must be a channel id such as C0123ABCD or a name such as #incidents, not '{options.AnnouncementChannel}'.");
        }

        return ValidateOptionsResult.Success;
    }

    [GeneratedRegex("^([CG][A-Z0-9]{2,}|#[a-z0-9_-]{1,80})$")]
    private static partial Regex ChannelReference();
}
