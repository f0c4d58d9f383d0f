using System.Net;
using System.Net.Sockets;
using IncidentBot.Slack.Api;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncidentBot.Slack.Tests.Api;

public sealed class CallFailureTests
{
    [Fact]
    public async Task ARefusedConnectionNamesTheEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{port}/api/auth.test"));

        Assert.Equal($"connection to 127.0.0.1:{port} refused", CallFailure.Describe(failure));
        Assert.False(CallFailure.WasAnswered(failure));
    }

    [Fact]
    public async Task TheEndpointIsFoundUnderTheTransportsOwnWrapping()
    {
        using var http = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://127.0.0.1:1/api/auth.test"));

        var wrapped = new HttpRequestException("Slack auth.test was not sent or not answered", refused);

        Assert.Equal("connection to 127.0.0.1:1 refused", CallFailure.Describe(wrapped));
    }

    [Fact]
    public void ADnsFailureIsNotSlackRefusing()
    {
        var failure = new HttpRequestException(
            HttpRequestError.NameResolutionError, "Name or service not known (slack.invalid:443)", new SocketException((int)SocketError.HostNotFound));

        Assert.Equal("DNS lookup of slack.invalid failed", CallFailure.Describe(failure));
        Assert.False(CallFailure.WasAnswered(failure));
    }

    [Fact]
    public void SlacksErrorCodeAndAnHttpStatusAreAnswers()
    {
        var refused = new SlackApiException("chat.postMessage", "channel_not_found");
        var status = new HttpRequestException("Response status code does not indicate success: 503 (Service Unavailable).", null, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("Slack answered chat.postMessage with channel_not_found", CallFailure.Describe(refused));
        Assert.Equal("HTTP 503 (ServiceUnavailable)", CallFailure.Describe(status));
        Assert.True(CallFailure.WasAnswered(refused));
        Assert.True(CallFailure.WasAnswered(status));
    }

    [Fact]
    public void ATimeoutAndAnOpenCircuitSayWhatTheResilienceHandlerDid()
    {
        // As SlackApiTransport wraps what the resilience handler rejected.
        var timeout = new HttpRequestException("Slack chat.postMessage was not sent or not answered", new TimeoutRejectedException("timed out", TimeSpan.FromSeconds(30)));
        var circuit = new HttpRequestException("Slack chat.postMessage was not sent or not answered", new BrokenCircuitException("open"));

        Assert.Equal("no answer within 30 s", CallFailure.Describe(timeout));
        Assert.Equal("calls are paused after repeated failures (circuit open)", CallFailure.Describe(circuit));
    }

    [Fact]
    public async Task AnOpenCircuitSaysWhatFailedLast()
    {
        using var http = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://127.0.0.1:1/api/auth.test"));

        var circuit = new HttpRequestException("Slack auth.test was not sent or not answered", new BrokenCircuitException("open", refused));

        Assert.Equal("calls are paused after repeated failures (circuit open; the last: connection to 127.0.0.1:1 refused)", CallFailure.Describe(circuit));
    }
}
