using IncidentBot.Api;
using IncidentBot.Configuration;
using IncidentBot.Slack;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncidentBot.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The OTLP exporter's own setting (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>, … read by OpenTelemetry itself).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    public const string MetricsPath = "/metrics";

    private static readonly string[] UntracedPaths = [MetricsPath, "/healthz", "/readyz"];

    /// <summary>
    /// OpenTelemetry: the product's meter, ASP.NET Core, HttpClient, runtime and resilience metrics for <c>/metrics</c>
    /// (Prometheus text), and with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> traces and metrics over OTLP too.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.AddConfigurationCheck<TelemetryOptions>(TelemetryOptions.Section);
        builder.Services.AddSingleton<IncidentBotMetrics>();
        builder.Services.AddSingleton<ISlackMetrics>(sp => sp.GetRequiredService<IncidentBotMetrics>());
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration[ServiceNameKey] is { Length: > 0 } name ? name : "incidentbot"))
            .WithMetrics(metrics =>
            {
                // Made with the meter provider at start, so the gauges are there from the first scrape on.
                metrics.AddInstrumentation(sp => sp.GetRequiredService<IncidentBotMetrics>())
                    .AddMeter(IncidentBotMetrics.MeterName)
                    .AddMeter("Polly")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !UntracedPaths.Contains(context.Request.Path.Value))
                .AddHttpClientInstrumentation()
                .AddSource("Microsoft.SemanticKernel*")
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary><c>/metrics</c> in Prometheus text format; behind an API key when <c>Telemetry:MetricsRequireApiKey</c> says so.</summary>
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).WithMetadata(new MetricsKeyRequirement());
        return app;
    }

    /// <summary>Decided per request: the options are read once the configuration has been checked, never while mapping.</summary>
    private sealed class MetricsKeyRequirement : RequiresApiKey
    {
        public override bool AppliesTo(HttpContext context) =>
            context.RequestServices.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsRequireApiKey;
    }
}
