using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.AspNetCore;

/// <summary>
/// The three request URLs Slack posts to. Each one verifies the signature before parsing, turns
/// the body into a payload record, and hands it to <see cref="SlackInbox"/>, the same place a
/// Socket Mode client hands its payloads.
/// </summary>
public static class SlackEndpoints
{
    public const string RetryNumHeader = "X-Slack-Retry-Num";
    public const string RetryReasonHeader = "X-Slack-Retry-Reason";

    /// <summary>Maps <c>POST {prefix}/events</c>, <c>{prefix}/commands</c> and <c>{prefix}/interactions</c>.</summary>
    public static RouteGroupBuilder MapSlackEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/slack")
    {
        var group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        group.MapPost("/events", HandleEventAsync);
        group.MapPost("/commands", HandleSlashCommandAsync);
        group.MapPost("/interactions", HandleInteractionAsync);
        return group;
    }

    internal static async Task<IResult> HandleEventAsync(
        HttpContext context, VerifiedBodyReader reader, SlackInbox inbox, ILogger<SlackInbox> logger)
    {
        var verified = await reader.ReadAsync(context.Request, context.RequestAborted);
        if (!verified.IsVerified)
        {
            return verified.Rejection!;
        }

        if (Parse<EventPayload>(verified.Body) is not { } payload)
        {
            return Malformed("The body is not a JSON Slack event payload.");
        }

        switch (payload)
        {
            case UrlVerification verification:
                return Results.Text(verification.Challenge, "text/plain");
            case EventCallback callback when string.IsNullOrEmpty(callback.EventId):
                return Malformed("The event_callback has no event_id.");
            case EventCallback { Event: null }:
                return Malformed("The event_callback's event is null.");
            case EventCallback callback:
                var (retryNum, retryReason) = RetryInfo(context.Request);
                var acceptance = await inbox.AcceptEventAsync(
                    callback, Encoding.UTF8.GetString(verified.Body), retryNum, retryReason, context.RequestAborted);
                return Acknowledge(acceptance);
            case AppRateLimited limited:
                logger.LogWarning("Slack is dropping events for team {TeamId}: app_rate_limited since minute {Minute}",
                    limited.TeamId, limited.MinuteRateLimited);
                return Results.Ok();
            default:
                logger.LogInformation("Ignoring Slack events payload of type {Type}", payload.Type);
                return Results.Ok();
        }
    }

    internal static async Task<IResult> HandleSlashCommandAsync(
        HttpContext context, VerifiedBodyReader reader, SlackInbox inbox)
    {
        var verified = await reader.ReadAsync(context.Request, context.RequestAborted);
        if (!verified.IsVerified)
        {
            // Slack's SSL probe (ssl_check=1) is not signed; it is answered and nothing else happens.
            return IsSslCheck(verified.Body) ? Results.Ok() : verified.Rejection!;
        }

        var form = ParseForm(verified.Body);
        if (form?.GetValueOrDefault("ssl_check") == "1")
        {
            return Results.Ok();
        }

        if (form is null || SlashCommand.FromForm(form) is not { } command)
        {
            return Malformed("The body is not a slash command form.");
        }

        var response = await inbox.AcceptSlashCommandAsync(command, context.RequestAborted);
        return response is null ? Results.Ok() : Results.Json(response, SlackJson.Options);
    }

    internal static async Task<IResult> HandleInteractionAsync(
        HttpContext context, VerifiedBodyReader reader, SlackInbox inbox, ILogger<SlackInbox> logger)
    {
        var verified = await reader.ReadAsync(context.Request, context.RequestAborted);
        if (!verified.IsVerified)
        {
            return verified.Rejection!;
        }

        var json = ParseForm(verified.Body)?.GetValueOrDefault("payload");
        if (string.IsNullOrEmpty(json) || Parse<InteractionPayload>(Encoding.UTF8.GetBytes(json)) is not { } payload)
        {
            return Malformed("The body is not a payload= form with a JSON interaction.");
        }

        switch (payload)
        {
            // JSON null is accepted for any property, so what the handlers take for granted is checked here.
            case BlockActionsPayload { Actions: var list } when list is null || list.Any(action => action is null):
                return Malformed("The block_actions payload's actions are missing.");
            case ViewSubmissionPayload { View: null }:
                return Malformed("The view_submission payload has no view.");
            case BlockActionsPayload actions:
                return Acknowledge(await inbox.AcceptBlockActionsAsync(actions, json, context.RequestAborted));
            case ViewSubmissionPayload submission:
                var response = await inbox.AcceptViewSubmissionAsync(submission, context.RequestAborted);
                return response is null ? Results.Ok() : Results.Json(response, SlackJson.Options);
            default:
                logger.LogInformation("Ignoring Slack interaction of type {Type}", payload.Type);
                return Results.Ok();
        }
    }

    private static IResult Acknowledge(Acceptance acceptance) => acceptance == Acceptance.Rejected
        // Any non-2xx makes Slack deliver the event again later, when the queue may have room.
        ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
        : Results.Ok();

    private static IResult Malformed(string detail) =>
        Results.Problem(title: "Malformed Slack payload", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static T? Parse<T>(byte[] body) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, SlackJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string>? ParseForm(byte[] body)
    {
        try
        {
            using var form = new FormReader(Encoding.UTF8.GetString(body));
            return form.ReadForm().ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static bool IsSslCheck(byte[] body) => ParseForm(body)?.GetValueOrDefault("ssl_check") == "1";

    private static (int RetryNum, string? RetryReason) RetryInfo(HttpRequest request)
    {
        var retryNum = int.TryParse(request.Headers[RetryNumHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        var retryReason = request.Headers[RetryReasonHeader].ToString();
        return (retryNum, string.IsNullOrEmpty(retryReason) ? null : retryReason);
    }
}
