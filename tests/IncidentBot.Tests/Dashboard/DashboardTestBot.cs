using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Dashboard;

/// <summary>The bot with its dashboard on, wired to a fake Slack and to a fake Sign in with Slack, both on loopback.</summary>
public sealed partial class DashboardTestBot : IAsyncDisposable
{
    public const string Editor = SlackTestBot.Responder;
    public const string Viewer = "U0VIEW1";

    private DashboardTestBot(SlackTestBot slack, FakeOpenId openId)
    {
        Slack = slack;
        OpenId = openId;
    }

    public SlackTestBot Slack { get; }
    public FakeOpenId OpenId { get; }
    public Uri Address => Slack.Bot.Address;
    public string TeamId => Slack.Slack.TeamId;

    public FakeSignInUser EditorUser => new(Editor, TeamId, "Alice Editor");
    public FakeSignInUser ViewerUser => new(Viewer, TeamId, "Victor Viewer");

    public static async Task<DashboardTestBot> StartAsync()
    {
        var slack = await FakeSlack.StartAsync();
        var openId = await FakeOpenId.StartAsync(new FakeSignInUser(Editor, slack.TeamId, "Alice Editor"));
        slack.AddUser(Viewer, "victor");
        var bot = await SlackTestBot.StartAsync(slack: slack, extraSettings: Settings(openId.Authority, slack.TeamId));
        return new DashboardTestBot(bot, openId);
    }

    public static Dictionary<string, string?> Settings(string authority, string teamId) => new()
    {
        ["Dashboard:ClientId"] = FakeOpenId.ClientId,
        ["Dashboard:ClientSecret"] = FakeOpenId.ClientSecret,
        ["Dashboard:Authority"] = authority,
        ["Dashboard:TeamId"] = teamId,
        ["Dashboard:Editors:0"] = Editor,
    };

    /// <summary>A browser-like client (cookies, redirects followed) that has signed in as <paramref name="user"/>.</summary>
    public async Task<HttpClient> SignedInAsync(FakeSignInUser user)
    {
        var client = Browser();
        OpenId.SignInAs(user);
        var response = await client.GetAsync("/incidents");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/incidents", response.RequestMessage!.RequestUri!.AbsolutePath);
        return client;
    }

    /// <summary>Cookies kept and redirects followed, as a browser does.</summary>
    public HttpClient Browser(bool followRedirects = true, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = followRedirects }) { BaseAddress = Address };

    /// <summary>The antiforgery token of a page's forms.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var match = TokenField().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        await Slack.DisposeAsync();
        await OpenId.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
