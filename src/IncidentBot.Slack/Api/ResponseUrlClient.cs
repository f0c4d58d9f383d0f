using System.Net.Http.Json;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Api;

/// <summary>
/// Posts to a <c>response_url</c> from a slash command or block action: the way to answer after
/// the 3-second ack. No token: the URL itself is the credential, valid 5 times within 30 minutes.
/// </summary>
public sealed class ResponseUrlClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "IncidentBot.Slack.ResponseUrl";

    /// <summary>For the whole post, retries included: the answer is late already.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task PostAsync(string responseUrl, ResponseUrlMessage message, CancellationToken cancellationToken = default)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.PostAsJsonAsync(new Uri(responseUrl), message, SlackJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
