using IncidentBot.Storage;

namespace IncidentBot.Hosting;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: and its storage does too.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/readyz", async (IIncidentReader incidents, CancellationToken cancellationToken) =>
            await incidents.IsReachableAsync(cancellationToken)
                ? Results.Ok(new { status = "ready" })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "The storage does not answer."));
        return app;
    }
}
