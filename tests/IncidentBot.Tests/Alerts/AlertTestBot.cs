using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Alerts;

/// <summary>The bot on Kestrel and a SQLite file with every alert source on, on a fake clock.</summary>
internal sealed class AlertTestBot : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDatabase database;

    private AlertTestBot(TemporaryDatabase database, FakeTimeProvider clock, TestBot bot)
    {
        this.database = database;
        Clock = clock;
        Bot = bot;
    }

    public FakeTimeProvider Clock { get; }
    public TestBot Bot { get; }
    public string ConnectionString => database.ConnectionString;

    public static Dictionary<string, string?> AllSourcesOn() => new()
    {
        ["Alerts:PagerDuty:SigningSecrets:0"] = AlertPayloads.PagerDutySecret,
        ["Alerts:PagerDuty:SigningSecrets:1"] = AlertPayloads.RotatedPagerDutySecret,
        ["Alerts:Alertmanager:Enabled"] = "true",
        ["Alerts:Generic:Enabled"] = "true",
    };

    public static async Task<AlertTestBot> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var database = new TemporaryDatabase();
        var clock = new FakeTimeProvider(Start);
        var bot = await TestBot.StartAsync(database.ConnectionString, clock, settings ?? AllSourcesOn());
        return new AlertTestBot(database, clock, bot);
    }

    public async Task<HttpResponseMessage> PagerDutyAsync(string body, string? signature)
    {
        using var client = Bot.AnonymousClient();
        return await client.SendAsync(AlertPayloads.PagerDutyRequest(body, signature));
    }

    public async Task<JsonElement> SignedPagerDutyAsync(string body, string secret = AlertPayloads.PagerDutySecret) =>
        await TestBot.ReadSuccessAsync(await PagerDutyAsync(body, AlertPayloads.Sign(body, secret)));

    public async Task<JsonElement> AlertmanagerAsync(JsonObject notification) =>
        await TestBot.ReadSuccessAsync(await Bot.Client.PostAsync("/api/alerts/alertmanager", Json(notification)));

    public async Task<JsonElement> GenericAsync(object alert) =>
        await TestBot.ReadSuccessAsync(await Bot.Client.PostAsJsonAsync("/api/alerts", alert));

    public async Task<JsonElement> IncidentAsync(long number) =>
        await TestBot.ReadSuccessAsync(await Bot.Client.GetAsync($"/api/incidents/{number}"));

    public async Task<JsonElement> PatchAsync(long number, object body) =>
        await TestBot.ReadSuccessAsync(await Bot.Client.PatchAsJsonAsync($"/api/incidents/{number}", body));

    public async Task<List<JsonElement>> IncidentsAsync() =>
        (await TestBot.ReadSuccessAsync(await Bot.Client.GetAsync("/api/incidents"))).GetProperty("items").EnumerateArray().ToList();

    public async Task<List<JsonElement>> TimelineAsync(long number) =>
        (await TestBot.ReadSuccessAsync(await Bot.Client.GetAsync($"/api/incidents/{number}/timeline"))).GetProperty("items").EnumerateArray().ToList();

    public static JsonElement Outcome(JsonElement response, int index = 0) => response.GetProperty("alerts")[index];

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        database.Dispose();
    }
}
