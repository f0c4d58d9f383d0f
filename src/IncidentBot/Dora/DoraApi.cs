using IncidentBot.Api;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IncidentBot.Dora;

/// <summary>One event of the outbox: what it is, how its push went, and the body that is (or would be) pushed.</summary>
public sealed record DoraEventDto(
    string Event, DateTimeOffset OccurredAt, string Delivery, DateTimeOffset? DeliveredAt, DoraIncidentData Data);

public sealed record DoraEventsResponse(IReadOnlyList<DoraEventDto> Events);

/// <summary><c>GET /api/dora/incidents?since=</c>: the DORA incident events, for tools that pull rather than receive.</summary>
public static class DoraApi
{
    public const int MaxEvents = 500;

    public static IEndpointRouteBuilder MapDoraApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dora/incidents", List).RequireApiKey();
        return app;
    }

    private static async Task<Ok<DoraEventsResponse>> List(
        [FromServices] IDoraOutbox outbox, [FromServices] IIncidentReader incidents, IOptions<DoraOptions> options, TimeProvider time, [FromQuery] string? since,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var from = errors.ParseTime(since, "since", time.GetUtcNow());
        if (since is null)
        {
            errors.Add("since", "since is required: an ISO 8601 time (2026-11-01T00:00:00Z) or a duration back from now (P7D).");
        }

        errors.ThrowIfAny();
        var records = await outbox.ListAsync(from!.Value, MaxEvents, cancellationToken);
        var byNumber = (await incidents.FindAsync(
                new IncidentFilter { Numbers = [.. records.Select(r => r.IncidentNumber).Distinct()], Limit = IncidentFilter.MaxLimit }, cancellationToken))
            .ToDictionary(incident => incident.Number);
        return TypedResults.Ok(new DoraEventsResponse([.. records.Select(record => new DoraEventDto(
            record.Event == DoraEventKind.Declared ? "declared" : "resolved",
            record.OccurredAt,
            record switch { { DeliveredAt: not null } => "delivered", { FailedAt: not null } => "refused", _ => "pending" },
            record.DeliveredAt,
            DoraIncidentEvent.For(byNumber[record.IncidentNumber], record, options.Value).Data))]));
    }
}
