using System.Text.Json;
using IncidentBot.Incidents;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IncidentBot.Api;

/// <summary>Turns what went wrong into RFC 9457 problem details: a 4xx for the caller's mistakes, never a stack trace.</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
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
            IncidentNotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            IncidentConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            IncidentVersionMismatchException mismatch => Problem(StatusCodes.Status412PreconditionFailed, "The incident has changed", mismatch.Message),
            BadHttpRequestException badRequest => Problem(badRequest.StatusCode, "Bad request", Describe(badRequest)),
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

    /// <summary>The JSON reader's message says where the body is broken (path, line, position) without echoing it.</summary>
    private static string Describe(BadHttpRequestException exception) => exception switch
    {
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => "The request body is too large.",
        { InnerException: JsonException json } => $"The body is not the JSON this endpoint takes: {json.Message}",
        _ => exception.Message,
    };
}
