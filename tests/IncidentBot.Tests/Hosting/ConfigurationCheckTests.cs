using IncidentBot.Hosting;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

public sealed class ConfigurationCheckTests
{
    [Theory]
    [InlineData("Storage:Provider", "mongo", "Storage:Provider must be 'sqlite' or 'postgres', not 'mongo'.")]
    [InlineData("Storage:ConectionString", "Data Source=x.db", "Storage:ConectionString is not a setting IncidentBot knows")]
    [InlineData("Storage:InboxClaimTime", "00:00:00.500", "Storage:InboxClaimTime must be between 00:00:01 and 01:00:00, not 00:00:00.5000000.")]
    [InlineData("Api:Keys:0", "short", "Api:Keys:0 is too short")]
    [InlineData("Ai:Provider", "skynet", "Ai:Provider must be 'none' or 'openai'")]
    [InlineData("Ai:TimeoutSeconds", "soon", "'Ai:TimeoutSeconds'")]
    [InlineData("Ai:TimeoutSeconds", "0", "Ai:TimeoutSeconds must be between 1 and 600")]
    [InlineData("Ai:Endpoint", "localhost:11434", "Ai:Endpoint must be an http(s) URL")]
    [InlineData("Alerts:Rules:0:Severity", "sev9", "Alerts:Rules:0:Severity 'sev9' is not a severity")]
    [InlineData("Alerts:Rules:0:Action", "page", "Alerts:Rules:0:Action must be 'declare' or 'link', not 'page'.")]
    [InlineData("Alerts:Rules:0:Sevrity", "sev1", "Alerts:Rules:0:Sevrity is not a setting IncidentBot knows")]
    [InlineData("Alerts:GroupWindow", "2.00:00:00", "Alerts:GroupWindow must be between")]
    [InlineData("Alerts:PagerDuty:SigningSecret", "x", "Alerts:PagerDuty:SigningSecret is not a setting IncidentBot knows")]
    [InlineData("Alerts:Alertmanager:Enabled", "maybe", "'Alerts:Alertmanager:Enabled'")]
    [InlineData("Alerts:Reminders", "x", "Alerts:Reminders is not a setting IncidentBot knows")]
    [InlineData("Telemetry:MetricsRequireApiKey", "sometimes", "'Telemetry:MetricsRequireApiKey'")]
    [InlineData("Telemetry:MetricsPort", "9464", "Telemetry:MetricsPort is not a setting IncidentBot knows")]
    [InlineData("Dora:Endpoint", "https://api.datadoghq.com/api/v2/dora/incident", "Dora:ApiKey is required when Dora:Endpoint is set")]
    [InlineData("Dora:ApiKey", "dd-key", "Dora:Endpoint is required when Dora:ApiKey is set")]
    [InlineData("Dora:Enpoint", "https://example.com", "Dora:Enpoint is not a setting IncidentBot knows")]
    [InlineData("Dora:RetryDelay", "00:00:00", "Dora:RetryDelay must be at least 00:00:01")]
    [InlineData("Incidents:Roles:0:Name", "commander", "Incidents:Roles:0:Name 'commander': the commander is always there")]
    [InlineData("Incidents:Roles:0:Name", "scribe!", "Incidents:Roles:0:Name must be 1 to 40 letters, digits and spaces")]
    [InlineData("Reminders:FollowUpsEvery", "00:10:00", "Reminders:FollowUpsEvery must be at least 01:00:00")]
    public void AWrongSettingIsReportedInOneLineNamingTheKey(string key, string value, string expected)
    {
        var error = FindError(new Dictionary<string, string?> { [key] = value });

        Assert.NotNull(error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("ClientSecret", "", "Dashboard:ClientSecret is required with Dashboard:ClientId")]
    [InlineData("TeamId", "", "Dashboard:TeamId must be the id of the workspace")]
    [InlineData("Authority", "http://slack.example.com", "Dashboard:Authority must be an https URL such as https://slack.com, not 'http://slack.example.com'.")]
    [InlineData("Editors:0", "alice", "Dashboard:Editors:0 must be a Slack user id (U0123ABCD), not 'alice'.")]
    [InlineData("Editor", "U0123", "Dashboard:Editor is not a setting IncidentBot knows: did you mean Dashboard:Editors?")]
    public void ADashboardSettingThatCannotSignAnyoneInIsReported(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:ClientId"] = "1234.5678",
            ["Dashboard:ClientSecret"] = "client-secret",
            ["Dashboard:TeamId"] = "T0123ABCD",
            [$"Dashboard:{key}"] = value,
        };

        var error = FindError(settings);

        Assert.NotNull(error);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void ADashboardSecretWithoutAClientIdIsReported()
    {
        Assert.Equal(
            "Dashboard:ClientId is required with Dashboard:ClientSecret or Dashboard:TeamId: it turns the dashboard on.",
            FindError(new Dictionary<string, string?> { ["Dashboard:ClientSecret"] = "client-secret" }));
    }

    [Fact]
    public void AnOpenAiProviderNeedsAModel()
    {
        var error = FindError(new Dictionary<string, string?> { ["Ai:Provider"] = "openai", ["Ai:ApiKey"] = "sk-secret-value" });

        Assert.Equal("Ai:Model is required when Ai:Provider is 'openai'.", error);
    }

    [Theory]
    [InlineData("Slak:BotToken", "xoxb-1", "Slak:BotToken is not a setting IncidentBot knows: did you mean Slack:BotToken?")]
    [InlineData("Storge:Provider", "mongo", "Storge:Provider is not a setting IncidentBot knows: did you mean Storage:Provider?")]
    [InlineData("Storage:Provder", "sqlite", "Storage:Provder is not a setting IncidentBot knows: did you mean Storage:Provider?")]
    [InlineData("Ai:Modle", "llama3.1", "Ai:Modle is not a setting IncidentBot knows: did you mean Ai:Model?")]
    public void AMisspeltSectionOrKeyIsRefusedWithWhatWasMeant(string key, string value, string expected)
    {
        Assert.Equal(expected, FindError(new Dictionary<string, string?> { [key] = value }));
    }

    [Fact]
    public void AnUnknownSectionUnlikeAnyOfTheBotsNamesTheSections()
    {
        var error = FindError(new Dictionary<string, string?> { ["Widgets:Enabled"] = "true" });

        Assert.NotNull(error);
        Assert.StartsWith("Widgets:Enabled is not a setting IncidentBot knows: its sections are Ai, ", error);
        Assert.EndsWith(", Storage, Telemetry, besides the framework's (Logging, Kestrel, AllowedHosts, Urls).", error);
        Assert.All(["Api", "Assistant", "Slack"], section => Assert.Contains($" {section},", error));
    }

    [Theory]
    [InlineData("Logging:LogLevel:Default", "Debug")]
    [InlineData("Logging:Console:FormatterName", "json")]
    [InlineData("AllowedHosts", "bot.example.com")]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections", "100")]
    [InlineData("Urls", "http://127.0.0.1:0")]
    [InlineData("http_ports", "8080")]
    [InlineData("shutdownTimeoutSeconds", "10")]
    public void TheFrameworksSectionsAreAccepted(string key, string value)
    {
        Assert.Null(FindError(new Dictionary<string, string?> { [key] = value }));
    }

    [Fact]
    public void TheEnvironmentRefusesOnlyWhatLooksLikeTheBotsSections()
    {
        var prefix = $"IBTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "PATHLIKE", "/usr/bin");
        Environment.SetEnvironmentVariable(prefix + "Other__Program__Setting", "1");
        try
        {
            Assert.Null(FindError([], builder => builder.AddEnvironmentVariables(prefix)));

            Environment.SetEnvironmentVariable(prefix + "Slakc__BotToken", "xoxb-1");
            Assert.Equal(
                "Slakc__BotToken (environment variable) is not a setting IncidentBot knows: did you mean Slack__BotToken?",
                FindError([], builder => builder.AddEnvironmentVariables(prefix)));
        }
        finally
        {
            foreach (var name in new[] { "PATHLIKE", "Other__Program__Setting", "Slakc__BotToken" })
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    [Theory]
    [InlineData("", "Storage:ConnectionString is required with Storage:Provider 'postgres'")]
    [InlineData("Database=incidentbot", "Storage:ConnectionString names no Host for PostgreSQL.")]
    [InlineData("Hots=db", "Storage:ConnectionString is not a PostgreSQL connection string")]
    public void PostgresNeedsAConnectionStringNamingItsHost(string connectionString, string expected)
    {
        var error = FindError(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });

        Assert.NotNull(error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void APostgresConnectionStringIsAGoodConfiguration()
    {
        Assert.Null(FindError(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = "Host=db;Database=incidentbot" }));
    }

    [Fact]
    public void ADoraEndpointMustBeAnHttpUrl()
    {
        var error = FindError(new Dictionary<string, string?> { ["Dora:Endpoint"] = "api.datadoghq.com", ["Dora:ApiKey"] = "dd-secret-key" });

        Assert.Equal(
            "Dora:Endpoint must be an http(s) URL such as https://api.datadoghq.com/api/v2/dora/incident, not 'api.datadoghq.com'.", error);
    }

    [Fact]
    public void ADoraDelayThatIsNoTimeIsReportedOnceDoraIsOn()
    {
        var error = FindError(new Dictionary<string, string?>
        {
            ["Dora:Endpoint"] = "https://api.datadoghq.com/api/v2/dora/incident",
            ["Dora:ApiKey"] = "dd-secret-key",
            ["Dora:RetryDelay"] = "soon",
        });

        Assert.NotNull(error);
        Assert.Contains("'Dora:RetryDelay'", error);
    }

    [Fact]
    public void TheDefaultsAreAGoodConfiguration()
    {
        Assert.Null(FindError([]));
    }

    private static string? FindError(Dictionary<string, string?> settings, Action<IConfigurationBuilder>? addSources = null)
    {
        using var database = new TemporaryDatabase();
        var app = IncidentBotApp.Build(
            new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory },
            builder =>
            {
                var merged = new Dictionary<string, string?>(settings);
                merged.TryAdd("Storage:ConnectionString", database.ConnectionString);
                builder.Configuration.AddInMemoryCollection(merged);
                addSources?.Invoke(builder.Configuration);
            });
        return app.FindConfigurationError();
    }
}
