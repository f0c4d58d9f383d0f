using System.Net;

namespace IncidentBot.Slack.Api;

/// <summary>Tells <see cref="ISlackMetrics"/> of each attempt Slack answers with 429, by the method it was for.</summary>
internal sealed class RateLimitCounter(ISlackMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            metrics.RateLimited(request.Options.TryGetValue(SlackCall.RequestOption, out var call) ? call.Method : "unknown");
        }

        return response;
    }
}
