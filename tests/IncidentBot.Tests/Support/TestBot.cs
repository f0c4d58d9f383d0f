using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The whole application on Kestrel at 127.0.0.1 with a random port, on a given SQLite file,
/// started exactly as <c>Program</c> starts it.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789abcdef";

    /// <summary>A key of <c>Api:PrivateIncidentKeys</c>: it sees private incidents too.</summary>
    public const string PrivateIncidentKey = "test-private-key-0123456789";

    private TestBot(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = Authorized(new HttpClient { BaseAddress = address }, ApiKey);
        PrivateClient = Authorized(new HttpClient { BaseAddress = address }, PrivateIncidentKey);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>Sends the API key, which sees no private incident.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends the key that sees private incidents too.</summary>
    public HttpClient PrivateClient { get; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <param name="logs">Gets every log line at the levels of appsettings.json, as an operator's console would.</param>
    public static async Task<TestBot> StartAsync(
        string connectionString, TimeProvider? clock = null, IDictionary<string, string?>? settings = null, LogCapture? logs = null)
    {
        var app = IncidentBotApp.Build(
            new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Storage:ConnectionString"] = connectionString,
                    ["Api:Keys:0"] = ApiKey,
                    ["Api:PrivateIncidentKeys:0"] = PrivateIncidentKey,

                    // Most tests pin the ranking by words; those about meaning turn the in-process model on.
                    ["Assistant:LocalEmbeddings"] = "false",
                });
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }

                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }
            });
        if (app.FindConfigurationError() is { } error)
        {
            throw new InvalidOperationException(error);
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestBot(app, new Uri(address));
    }

    public HttpClient AnonymousClient() => new() { BaseAddress = Address };

    public async Task<JsonElement> DeclareAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/incidents", body);
        return await ReadSuccessAsync(response);
    }

    public static async Task<JsonElement> ReadSuccessAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        PrivateClient.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static HttpClient Authorized(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
