using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>An OpenTelemetry collector's OTLP/HTTP intake on 127.0.0.1 (random port): it keeps what each export sent.</summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<OtlpExport> exports = Channel.CreateUnbounded<OtlpExport>();

    private FakeOtlpCollector(WebApplication app) => this.app = app;

    /// <summary>What to set as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var collector = new FakeOtlpCollector(builder.Build());
        collector.app.MapPost("/v1/{signal}", collector.ReceiveAsync);
        await collector.app.StartAsync();
        collector.Endpoint = new Uri(collector.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return collector;
    }

    /// <summary>The next export of <paramref name="signal"/> (<c>traces</c>, <c>metrics</c>) whose body has <paramref name="text"/>.</summary>
    public async Task<OtlpExport> WaitForAsync(string signal, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await foreach (var export in exports.Reader.ReadAllAsync(cancel.Token))
        {
            if (export.Signal == signal && export.Body.Contains(text, StringComparison.Ordinal))
            {
                return export;
            }
        }

        throw new InvalidOperationException("The collector stopped.");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(string signal, HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        // Protobuf keeps strings as UTF-8 bytes: span names, routes and the service name can be found in it as text.
        exports.Writer.TryWrite(new OtlpExport(signal, request.ContentType, Encoding.UTF8.GetString(body.ToArray())));
        return Results.Ok();
    }
}

/// <param name="Body">The protobuf body read as UTF-8, for the strings in it.</param>
public sealed record OtlpExport(string Signal, string? ContentType, string Body);
