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
/// Sends one Web API call through the Slack HttpClient, whose handlers (<see cref="SlackResilience"/>)
/// wait for the rate budget and retry transient failures; turns <c>ok:false</c> into
/// <see cref="SlackApiException"/>. Tokens never reach a log line.
/// </summary>
public sealed class SlackApiTransport
{
    public const string HttpClientName = "IncidentBot.Slack.Api";

    private readonly IHttpClientFactory httpClients;
    private readonly SlackOptions options;
    private readonly ILogger<SlackApiTransport> logger;
    private readonly ISlackMetrics metrics;
    private readonly Uri baseUrl;

    public SlackApiTransport(
        IHttpClientFactory httpClients, IOptions<SlackOptions> options, ILogger<SlackApiTransport> logger, ISlackMetrics metrics)
    {
        this.httpClients = httpClients;
        this.options = options.Value;
        this.logger = logger;
        this.metrics = metrics;
        // Without the trailing slash, new Uri(base, "chat.postMessage") would replace the last segment.
        var configured = this.options.ApiBaseUrl.ToString();
        baseUrl = new Uri(configured.EndsWith('/') ? configured : configured + "/");
    }

    /// <summary>Posts <paramref name="body"/> as JSON (charset utf-8).</summary>
    /// <param name="channel">Selects the per-channel budget of chat.postMessage.</param>
    public Task<TResponse> PostJsonAsync<TResponse>(
        string method, object body, string? channel = null, SlackToken token = SlackToken.Bot, CancellationToken cancellationToken = default)
        where TResponse : SlackResponse =>
        CallAsync<TResponse>(new SlackCall(method, channel), JsonContent.Create(body, body.GetType(), options: SlackJson.Options), token, cancellationToken);

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
        return CallAsync<TResponse>(new SlackCall(method), new FormUrlEncodedContent(present), token, cancellationToken);
    }

    private async Task<TResponse> CallAsync<TResponse>(SlackCall call, HttpContent content, SlackToken token, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        var outcome = "unreachable";
        try
        {
            var result = await SendAndReadAsync<TResponse>(call, content, token, cancellationToken);
            outcome = "ok";
            return result;
        }
        catch (SlackApiException e)
        {
            outcome = e.Error;
            throw;
        }
        catch (HttpRequestException e) when (e.StatusCode is { } status)
        {
            outcome = $"http_{(int)status}";
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            metrics.Called(call.Method, outcome);
        }
    }

    private async Task<TResponse> SendAndReadAsync<TResponse>(SlackCall call, HttpContent content, SlackToken token, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        using var request = CreateRequest(call, content, token);
        using var response = await SendAsync(call.Method, request, cancellationToken);
        var result = await ReadAsync<TResponse>(call.Method, response, cancellationToken);
        if (!result.Ok)
        {
            throw new SlackApiException(call.Method, result.Error ?? "unknown_error",
                result.ResponseMetadata?.Messages, result.ResponseMetadata?.Warnings, result.Needed);
        }

        if (result.Warning is not null)
        {
            logger.LogWarning("Slack {Method} warned: {Warning}", call.Method, result.Warning);
        }

        return result;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (ExecutionRejectedException rejected)
        {
            // A timeout, an open circuit or a full rate-budget queue: to callers, Slack could not be reached.
            throw new HttpRequestException($"Slack {method} was not sent or not answered: {rejected.Message}", rejected);
        }
    }

    private HttpRequestMessage CreateRequest(SlackCall call, HttpContent content, SlackToken token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, call.Method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == SlackToken.App ? options.AppToken : options.BotToken);
        request.Options.Set(SlackCall.RequestOption, call);
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
