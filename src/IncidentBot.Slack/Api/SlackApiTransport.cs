using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace IncidentBot.Slack.Api;

/// <summary>Which credential a Web API method takes.</summary>
public enum SlackToken
{
    Bot,
    /// <summary>The app-level token, only for <c>apps.connections.open</c>.</summary>
    App,
}

/// <summary>
/// Sends one Web API call: waits for the rate budget, retries transient failures, turns
/// <c>ok:false</c> into <see cref="SlackApiException"/>. Tokens never reach a log line.
/// </summary>
public sealed class SlackApiTransport
{
    public const string HttpClientName = "IncidentBot.Slack.Api";

    private readonly IHttpClientFactory httpClients;
    private readonly SlackOptions options;
    private readonly SlackRateBudget rateBudget;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly ILogger<SlackApiTransport> logger;
    private readonly Uri baseUrl;

    public SlackApiTransport(
        IHttpClientFactory httpClients,
        IOptions<SlackOptions> options,
        SlackRateBudget rateBudget,
        TimeProvider timeProvider,
        ILogger<SlackApiTransport> logger)
    {
        this.httpClients = httpClients;
        this.options = options.Value;
        this.rateBudget = rateBudget;
        this.logger = logger;
        pipeline = SlackResiliencePipeline.Create(this.options, timeProvider);
        // Without the trailing slash, new Uri(base, "chat.postMessage") would replace the last segment.
        var configured = this.options.ApiBaseUrl.ToString();
        baseUrl = new Uri(configured.EndsWith('/') ? configured : configured + "/");
    }

    /// <summary>Posts <paramref name="body"/> as JSON (charset utf-8).</summary>
    /// <param name="channel">Selects the per-channel budget of chat.postMessage.</param>
    public Task<TResponse> PostJsonAsync<TResponse>(
        string method, object body, string? channel = null, SlackToken token = SlackToken.Bot, CancellationToken cancellationToken = default)
        where TResponse : SlackResponse =>
        CallAsync<TResponse>(method, () => JsonContent.Create(body, body.GetType(), options: SlackJson.Options), channel, token, cancellationToken);

    /// <summary>
    /// Posts form fields. Slack's read methods (conversations.history, users.info, …) take their
    /// arguments as form or query fields and do not read a JSON body.
    /// </summary>
    public Task<TResponse> PostFormAsync<TResponse>(
        string method, IEnumerable<KeyValuePair<string, string?>> fields, SlackToken token = SlackToken.Bot, CancellationToken cancellationToken = default)
        where TResponse : SlackResponse
    {
        var present = fields.Where(field => field.Value is not null)
            .Select(field => new KeyValuePair<string, string>(field.Key, field.Value!))
            .ToList();
        return CallAsync<TResponse>(method, () => new FormUrlEncodedContent(present), null, token, cancellationToken);
    }

    private async Task<TResponse> CallAsync<TResponse>(
        string method, Func<HttpContent> content, string? channel, SlackToken token, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await pipeline.ExecuteAsync(
            async ct =>
            {
                if (options.UseRateBudget)
                {
                    await rateBudget.WaitAsync(method, channel, ct);
                }

                // A request message cannot be sent twice, so every attempt builds its own.
                using var request = CreateRequest(method, content(), token);
                return await http.SendAsync(request, ct);
            },
            cancellationToken);

        var result = await ReadAsync<TResponse>(method, response, cancellationToken);
        if (!result.Ok)
        {
            throw new SlackApiException(method, result.Error ?? "unknown_error",
                result.ResponseMetadata?.Messages, result.ResponseMetadata?.Warnings, result.Needed);
        }

        if (result.Warning is not null)
        {
            logger.LogWarning("Slack {Method} warned: {Warning}", method, result.Warning);
        }

        return result;
    }

    private HttpRequestMessage CreateRequest(string method, HttpContent content, SlackToken token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == SlackToken.App ? options.AppToken : options.BotToken);
        return request;
    }

    private static async Task<TResponse> ReadAsync<TResponse>(string method, HttpResponseMessage response, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        // After the retries, a 429 still carries Slack's {"ok":false,"error":"ratelimited"}; other failures have no useful body.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            response.EnsureSuccessStatusCode();
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<TResponse>(SlackJson.Options, cancellationToken)
                ?? throw new SlackApiException(method, "empty_response");
        }
        catch (JsonException) when (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SlackApiException(method, "ratelimited");
        }
    }
}
