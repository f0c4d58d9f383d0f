using System.Text.RegularExpressions;
using IncidentBot.Hosting;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.SlackApp;

/// <summary>
/// manifest.yml asks for what the code uses and no more: the bot scopes of the Web API methods the transport calls and
/// of the events it handles, and a subscription for each event type with a handler. The tables below are Slack's
/// documentation (which scope a method needs, which subscription delivers an event); the code supplies the rest.
/// </summary>
public sealed partial class ManifestTests
{
    /// <summary>Bot scopes per Web API method, for public and private channels.</summary>
    private static readonly Dictionary<string, string[]> MethodScopes = new()
    {
        ["auth.test"] = [],
        ["chat.postMessage"] = ["chat:write"],
        ["chat.postEphemeral"] = ["chat:write"],
        ["chat.update"] = ["chat:write"],
        ["chat.getPermalink"] = [],
        ["conversations.create"] = ["channels:manage", "groups:write"],
        ["conversations.invite"] = ["channels:manage", "groups:write"],
        ["conversations.setTopic"] = ["channels:manage", "groups:write"],
        ["conversations.join"] = ["channels:join"],
        ["conversations.info"] = ["channels:read", "groups:read"],
        ["conversations.history"] = ["channels:history", "groups:history"],
        ["conversations.replies"] = ["channels:history", "groups:history"],
        ["conversations.list"] = ["channels:read", "groups:read"],
        ["conversations.members"] = ["channels:read", "groups:read"],
        ["pins.add"] = ["pins:write"],
        ["views.open"] = [],
        ["views.publish"] = [],
        ["views.update"] = [],
        ["users.info"] = ["users:read"],
        // Called with the app-level token, whose connections:write is no bot scope.
        ["apps.connections.open"] = [],
    };

    /// <summary>The subscriptions that deliver each event record, and the bot scopes they need.</summary>
    private static readonly Dictionary<Type, (string[] Subscriptions, string[] Scopes)> EventSubscriptions = new()
    {
        // Channels and private channels; no message.im: direct messages are not answered, so they are not asked for.
        [typeof(MessageEventBase)] = (["message.channels", "message.groups"], ["channels:history", "groups:history"]),
        [typeof(AppMention)] = (["app_mention"], ["app_mentions:read"]),
        [typeof(MemberJoinedChannel)] = (["member_joined_channel"], ["channels:read", "groups:read"]),
        [typeof(MemberLeftChannel)] = (["member_left_channel"], ["channels:read", "groups:read"]),
        [typeof(AppHomeOpened)] = (["app_home_opened"], []),
    };

    private readonly YamlMappingNode manifest = ReadManifest();

    [Fact]
    public void TheBotScopesAreThoseOfTheMethodsCalledAndTheEventsHandled()
    {
        var called = MethodsCalled();
        Assert.Equal(MethodScopes.Keys.Order(), called.Order());

        var needed = called.SelectMany(method => MethodScopes[method])
            .Concat(HandledEvents().SelectMany(type => EventSubscriptions[type].Scopes))
            .Append("commands")
            .ToHashSet();

        Assert.Equal(needed.Order(), Sequence(manifest, "oauth_config", "scopes", "bot").Order());
    }

    [Fact]
    public void TheSubscriptionsAreThoseOfTheEventsWithHandlers()
    {
        var handled = HandledEvents();
        Assert.Equal(EventSubscriptions.Keys.Select(t => t.Name).Order(), handled.Select(t => t.Name).Order());

        Assert.Equal(
            handled.SelectMany(type => EventSubscriptions[type].Subscriptions).Order(),
            Sequence(manifest, "settings", "event_subscriptions", "bot_events").Order());
    }

    [Fact]
    public void TheMessagesTabIsOffSinceDirectMessagesAreNotAnswered()
    {
        var home = (YamlMappingNode)Node(manifest, "features", "app_home");

        Assert.Equal("false", ((YamlScalarNode)home["messages_tab_enabled"]).Value);
        Assert.Equal("true", ((YamlScalarNode)home["home_tab_enabled"]).Value);
    }

    [Fact]
    public void TheSlashCommandIsTheOneHandled()
    {
        var commands = ((YamlSequenceNode)Node(manifest, "features", "slash_commands")).Children
            .Select(command => ((YamlScalarNode)((YamlMappingNode)command)["command"]).Value);

        Assert.Equal(Registry().SlashCommands.Order(), commands.Order());
    }

    /// <summary>The Web API methods the transport's client calls, read from its source.</summary>
    private static List<string> MethodsCalled() =>
        [.. WebApiCall().Matches(RepositoryFiles.ReadAllText("src/IncidentBot.Slack/Api/SlackApiClient.cs")).Select(m => m.Groups["method"].Value).Distinct()];

    private static List<Type> HandledEvents() => [.. Registry().EventTypes];

    /// <summary>The routing table of the bot as it starts with Slack on.</summary>
    private static SlackHandlerRegistry Registry()
    {
        using var app = IncidentBotApp.Build(
            new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory },
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Slack:BotToken"] = "xoxb-manifest-test",
                ["Slack:SigningSecret"] = "manifest-test-signing-secret",
            }));
        return app.Services.GetRequiredService<SlackHandlerRegistry>();
    }

    private static YamlMappingNode ReadManifest()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.ReadAllText("manifest.yml")));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path) =>
        path.Aggregate((YamlNode)root, (node, key) => ((YamlMappingNode)node)[key]);

    private static IEnumerable<string> Sequence(YamlMappingNode root, params string[] path) =>
        ((YamlSequenceNode)Node(root, path)).Children.Select(item => ((YamlScalarNode)item).Value!);

    [GeneratedRegex(@"Post(?:Json|Form)Async<\w+>\(\s*""(?<method>[a-z]+\.[a-zA-Z.]+)""")]
    private static partial Regex WebApiCall();
}
