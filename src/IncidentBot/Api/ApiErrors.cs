using System.Text.Json;
using IncidentBot.Incidents;
using Microsoft.AspNetCore.Diagnostics;
using IncidentBot.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IncidentBot.Api;

/// <summary>Turns what went wrong into RFC 9457 problem details: a 4xx for the caller's mistakes, never a stack trace.</summary>
internal sealed class ApiExceptionHandler(
    IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            IncidentValidationException invalid => new HttpValidationProblemDetails(invalid.Errors.ToDictionary(p => p.Key, p => p.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = invalid.Message,
            },
            IncidentNotFoundException or FollowUpNotFoundException => Problem(StatusCodes.Status404NotFound, "Not found", exception.Message),
            IncidentConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            IncidentVersionMismatchException mismatch => Problem(StatusCodes.Status412PreconditionFailed, "The incident has changed", mismatch.Message),
            BadHttpRequestException { InnerException: JsonException body } when RequestTypeOf(context) is { } requestType =>
                JsonBodyErrors.Describe(body, requestType, json.Value.SerializerOptions),
            BadHttpRequestException badRequest => Problem(badRequest.StatusCode, "Bad request", Describe(context, badRequest)),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; it has been logged.");
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    /// <summary>
    /// Fills in what a bare status leaves unsaid: minimal APIs answer a body over the limit or of another media type
    /// with the status alone, which the status code pages turn into problem details without a detail.
    /// </summary>
    public static void Explain(ProblemDetailsContext problem) =>
        problem.ProblemDetails.Detail ??= problem.ProblemDetails.Status is { } status ? BodyRefusal(status, problem.HttpContext.Request) : null;

    private static string Describe(HttpContext context, BadHttpRequestException exception) =>
        BodyRefusal(exception.StatusCode, context.Request)
        ?? (exception.InnerException is JsonException json ? $"{JsonBodyErrors.NotTheJson}: {json.Message}" : exception.Message);

    private static string? BodyRefusal(int status, HttpRequest request) => status switch
    {
        StatusCodes.Status413PayloadTooLarge =>
            $"The request body is too large: at most {HostingExtensions.MaxRequestBodyBytes / 1024 / 1024} MiB ({HostingExtensions.MaxRequestBodyBytes} bytes) is accepted.",
        StatusCodes.Status415UnsupportedMediaType =>
            $"The body must be JSON, sent with 'Content-Type: application/json'{ContentTypeGiven(request)}.",
        _ => null,
    };

    private static string ContentTypeGiven(HttpRequest request) =>
        string.IsNullOrEmpty(request.ContentType) ? ", and this request gave none" : $"; this request gave '{RequestErrors.Shorten(request.ContentType)}'";

    /// <summary>The record the failed endpoint reads its JSON body into, as minimal APIs record it.</summary>
    /// <remarks>The exception handler runs with the endpoint cleared; the feature keeps the one that failed.</remarks>
    private static Type? RequestTypeOf(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
}
