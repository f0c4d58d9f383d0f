using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentBot.Bench;

/// <summary>The few REST calls the benchmark makes: declare the incident, find its channel, count its timeline.</summary>
public sealed class BotApi(Uri baseAddress, string apiKey) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    /// <returns>The incident's id, e.g. <c>INC-1</c>.</returns>
    public async Task<string> DeclareAsync(string title, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/incidents",
            new { title, severity = "SEV-2", services = new[] { "checkout-api" } }, cancellationToken);
        var incident = await ReadAsync(response, cancellationToken);
        return incident.GetProperty("id").GetString()!;
    }

    /// <summary>Polls until the bot has opened the incident's channel (it does so after answering the declaration).</summary>
    public async Task<string> WaitForChannelAsync(string incidentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var response = await http.GetAsync($"api/incidents/{incidentId}", cancellationToken);
            var incident = await ReadAsync(response, cancellationToken);
            if (incident.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object)
            {
                return channel.GetProperty("id").GetString()!;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"{incidentId} got no channel within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Pages through the whole timeline (oldest first, 1,000 a page) and counts the Slack messages.</summary>
    public async Task<long> CountTimelineMessagesAsync(string incidentId, CancellationToken cancellationToken)
    {
        long messages = 0;
        string? cursor = null;
        do
        {
            var path = $"api/incidents/{incidentId}/timeline?limit=1000" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await http.GetAsync(path, cancellationToken);
            var page = await ReadAsync(response, cancellationToken);
            messages += page.GetProperty("items").EnumerateArray().Count(item => item.GetProperty("type").GetString() == "message");
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return messages;
    }

    public void Dispose() => http.Dispose();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
