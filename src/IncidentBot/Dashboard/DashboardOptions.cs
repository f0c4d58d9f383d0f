namespace IncidentBot.Dashboard;

/// <summary>The web dashboard: on once sign-in with Slack is configured (client id, secret and workspace).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";
    public const string SlackAuthority = "https://slack.com";

    /// <summary>The Slack app's client id (Basic Information, App Credentials).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The OpenID Connect provider; another one only in tests.</summary>
    public string Authority { get; set; } = SlackAuthority;

    /// <summary>The workspace whose members may sign in (<c>T0123ABCD</c>).</summary>
    public string? TeamId { get; set; }

    /// <summary>Slack user ids who may change incidents; none means every member who signs in.</summary>
    public string[] Editors { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);

    public bool IsEditor(string? userId) =>
        userId is not null && (Editors.Length == 0 || Editors.Any(editor => string.Equals(editor.Trim(), userId, StringComparison.Ordinal)));
}
