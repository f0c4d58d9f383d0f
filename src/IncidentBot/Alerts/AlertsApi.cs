using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Api;
using IncidentBot.Incidents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentBot.Alerts;

/// <summary>What a delivery did, alert by alert; <c>ignored</c> names an event type that is not handled.</summary>
public sealed record AlertIntakeResponse(IReadOnlyList<AlertOutcome> Alerts, string? Ignored = null);

/// <summary>
/// The alert endpoints: PagerDuty (signed by PagerDuty, no API key), Alertmanager and the generic shape (API key).
/// Each is off until configured, and says how to turn it on.
/// </summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/alerts/pagerduty", ReceivePagerDuty);
        var api = app.MapGroup("/api/alerts").RequireApiKey();
        api.MapPost("/alertmanager", ReceiveAlertmanager);
        api.MapPost("", ReceiveGeneric);
        return app;
    }

    /// <summary>The signature is checked over the raw body before any of it is parsed.</summary>
    private static async Task<Results<Ok<AlertIntakeResponse>, ProblemHttpResult>> ReceivePagerDuty(
        HttpRequest request, AlertIntake intake, IOptions<AlertsOptions> options, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var secrets = options.Value.PagerDuty.SigningSecrets;
        if (secrets.Length == 0)
        {
            return Off("PagerDuty", "set Alerts:PagerDuty:SigningSecrets to the signing secret of your PagerDuty webhook subscription");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (!PagerDutyWebhook.IsSigned(body, request.Headers[PagerDutyWebhook.SignatureHeader], [.. secrets.Select(s => Encoding.UTF8.GetBytes(s.Trim()))]))
        {
            return TypedResults.Problem(
                $"The {PagerDutyWebhook.SignatureHeader} header is missing or matches none of Alerts:PagerDuty:SigningSecrets.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized");
        }

        var (eventType, alert) = ReadPagerDuty(body);
        if (alert is null)
        {
            logs.CreateLogger(typeof(AlertsApi)).LogInformation("PagerDuty event {EventType} is not handled; ignored", eventType);
            return TypedResults.Ok(new AlertIntakeResponse([], eventType));
        }

        return TypedResults.Ok(new AlertIntakeResponse(await intake.ReceiveAsync([alert], cancellationToken)));
    }

    private static async Task<Results<Ok<AlertIntakeResponse>, ProblemHttpResult>> ReceiveAlertmanager(
        AlertmanagerNotification notification, AlertIntake intake, IOptions<AlertsOptions> options, CancellationToken cancellationToken)
    {
        if (!options.Value.Alertmanager.Enabled)
        {
            return Off("Alertmanager", "set Alerts:Alertmanager:Enabled to true, and give Alertmanager a key of Api:Keys as its bearer credentials");
        }

        var (alerts, errors) = notification.Read();
        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        return TypedResults.Ok(new AlertIntakeResponse(await intake.ReceiveAsync(alerts, cancellationToken)));
    }

    private static async Task<Results<Ok<AlertIntakeResponse>, ProblemHttpResult>> ReceiveGeneric(
        GenericAlertRequest request, AlertIntake intake, IOptions<AlertsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!options.Value.Generic.Enabled)
        {
            return Off("Generic alert", "set Alerts:Generic:Enabled to true");
        }

        var alert = request.ToAlert(time.GetUtcNow());
        return TypedResults.Ok(new AlertIntakeResponse(await intake.ReceiveAsync([alert], cancellationToken)));
    }

    private static (string EventType, Alert? Alert) ReadPagerDuty(byte[] body)
    {
        try
        {
            return PagerDutyWebhook.Read(JsonNode.Parse(body));
        }
        catch (JsonException invalid)
        {
            throw new IncidentValidationException("event", $"The body is not a PagerDuty v3 webhook payload: {invalid.Message}");
        }
    }

    private static ProblemHttpResult Off(string source, string howToTurnOn) =>
        TypedResults.Problem($"{source} intake is off: {howToTurnOn}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
