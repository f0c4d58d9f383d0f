using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IncidentBot.Api;

/// <summary>The REST API under <c>/api</c>: declare, read, change and follow incidents from other programs.</summary>
public static class IncidentsApi
{
    private const string DefaultActor = "api";

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireApiKey().SeenByTheApiKey().WithTags("Incidents").ProducesApiProblems();
        api.MapPost("/incidents", Create).WithSummary("Declare an incident").ProducesBodyProblems();
        api.MapGet("/incidents", List).WithSummary("Incidents, newest first");
        api.MapGet("/incidents/{reference}", Get).WithSummary("One incident, with its ETag");
        api.MapPatch("/incidents/{reference}", Update).WithSummary("Change what is given; honours If-Match")
            .ProducesBodyProblems().ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/incidents/{reference}/timeline", GetTimeline).WithSummary("The timeline, oldest first");
        api.MapPost("/incidents/{reference}/timeline", PostTimeline).WithSummary("Post an update, action or resolution").ProducesBodyProblems();
        api.MapPost("/incidents/{reference}/links", AddLink).WithSummary("Link an alert, error group, trace or deploy")
            .ProducesBodyProblems().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/stats", Stats).WithSummary("Counts, MTTR and top services over a window");
        return app;
    }

    private static async Task<Created<IncidentDto>> Create(
        CreateIncidentRequest request, IncidentService incidents, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var severity = errors.Parse<Severity>(request.Severity, "severity", SeverityText.TryParse, SeverityText.Accepted);
        var status = errors.Parse<IncidentStatus>(request.Status, "status", IncidentStatusText.TryParse, IncidentStatusText.Accepted);
        var impactStartedAt = errors.ParseTime(request.ImpactStartedAt, "impactStartedAt", time.GetUtcNow());
        errors.ThrowIfAny();
        var incident = await incidents.DeclareAsync(new IncidentDraft
        {
            Title = request.Title ?? "",
            Severity = severity ?? Severity.Unknown,
            Status = status ?? IncidentStatus.Active,
            Services = request.Services,
            Environment = request.Environment,
            Description = request.Description,
            CustomerImpact = request.Impact,
            DeclaredBy = request.DeclaredBy ?? DefaultActor,
            CommanderId = request.CommanderId,
            ImpactStartedAt = impactStartedAt,
            IsPrivate = request.Private ?? false,
        }, cancellationToken);
        return TypedResults.Created($"/api/incidents/{incident.Reference}", IncidentDto.From(incident));
    }

    private static async Task<Ok<Page<IncidentDto>>> List(
        IIncidentReader incidents,
        TimeProvider time,
        [FromQuery] string? status,
        [FromQuery] string? severity,
        [FromQuery] string? service,
        [FromQuery] string? since,
        [FromQuery] string? until,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var now = time.GetUtcNow();
        var query = new IncidentFilter
        {
            Statuses = status?.Trim().Equals("open", StringComparison.OrdinalIgnoreCase) == true
                ? IncidentFilter.OpenStatuses
                : errors.ParseList<IncidentStatus>(status, "status", IncidentStatusText.TryParse, IncidentStatusText.Accepted + ", or open"),
            Severities = errors.ParseList<Severity>(severity, "severity", SeverityText.TryParse, SeverityText.Accepted),
            Services = string.IsNullOrWhiteSpace(service) ? null : [service],
            DeclaredFrom = errors.ParseTime(since, "since", now),
            DeclaredUntil = errors.ParseTime(until, "until", now),
            BeforeNumber = errors.Parse<long>(cursor, "cursor", long.TryParse, "the nextCursor of the previous page"),
            Limit = limit ?? 100,
        };
        if (limit is < 1 or > IncidentFilter.MaxLimit)
        {
            errors.Add("limit", $"The limit must be between 1 and {IncidentFilter.MaxLimit}.");
        }

        errors.ThrowIfAny();
        var page = await incidents.FindAsync(query, cancellationToken);
        var next = page.Count == query.Limit ? page[^1].Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<IncidentDto>([.. page.Select(IncidentDto.From)], next));
    }

    private static async Task<Ok<IncidentDto>> Get(string reference, IIncidentReader incidents, HttpResponse response, CancellationToken cancellationToken)
    {
        var incident = await incidents.GetRequiredAsync(new RequestErrors().Reference(reference), cancellationToken);
        response.Headers.ETag = ETag(incident);
        return TypedResults.Ok(IncidentDto.From(incident));
    }

    /// <summary>Honours <c>If-Match</c> with the ETag of a GET, so a client's read-modify-write cannot overwrite a newer change.</summary>
    private static async Task<Ok<IncidentDto>> Update(
        string reference, UpdateIncidentRequest request, IncidentService incidents, TimeProvider time, HttpContext context,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var edit = new IncidentEdit
        {
            Status = errors.Parse<IncidentStatus>(request.Status, "status", IncidentStatusText.TryParseChange, IncidentStatusText.ChangeAccepted),
            Severity = errors.Parse<Severity>(request.Severity, "severity", SeverityText.TryParse, SeverityText.Accepted),
            CommanderId = request.CommanderId,
            Title = request.Title,
            CustomerImpact = request.Impact,
            Description = request.Description,
            MitigationSummary = request.MitigationSummary,
            ResolutionSummary = request.ResolutionSummary,
            AddServices = request.AddServices,
            RemoveServices = request.RemoveServices,
            ImpactStartedAt = errors.ParseTime(request.ImpactStartedAt, "impactStartedAt", time.GetUtcNow()),
        };
        var expectedVersion = ExpectedVersion(context.Request, errors);
        errors.ThrowIfAny();
        var update = await incidents.EditAsync(number, edit, request.Actor ?? DefaultActor, expectedVersion, cancellationToken);
        context.Response.Headers.ETag = ETag(update.After);
        return TypedResults.Ok(IncidentDto.From(update.After));
    }

    private static async Task<Ok<Page<TimelineEntryDto>>> GetTimeline(
        string reference, IIncidentReader incidents, [FromQuery] string? cursor, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        TimelineCursor? after = null;
        if (cursor is not null && !TimelineCursor.TryParse(cursor, out after))
        {
            errors.Add("cursor", "The cursor must be the nextCursor of the previous page.");
        }

        if (limit is < 1 or > TimelineQuery.MaxLimit)
        {
            errors.Add("limit", $"The limit must be between 1 and {TimelineQuery.MaxLimit}.");
        }

        errors.ThrowIfAny();
        var query = new TimelineQuery { After = after, Limit = limit ?? TimelineQuery.MaxLimit };
        var entries = await incidents.GetTimelineAsync(number, query, cancellationToken);
        if (entries.Count == 0)
        {
            await incidents.GetRequiredAsync(number, cancellationToken);
        }

        var next = entries.Count == query.Limit ? TimelineCursor.Of(entries[^1]).ToString() : null;
        return TypedResults.Ok(new Page<TimelineEntryDto>([.. entries.Select(TimelineEntryDto.From)], next));
    }

    private static async Task<Created<TimelineEntryDto>> PostTimeline(
        string reference, TimelinePostRequest request, IncidentService incidents, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var kind = errors.Parse<TimelineEntryKind>(request.Type, "type", TimelineEntryKinds.TryParse, "update, action or resolution");
        errors.ThrowIfAny();
        var entry = await incidents.PostAsync(number, kind ?? TimelineEntryKind.Update, request.Message, request.Actor ?? DefaultActor, cancellationToken);
        return TypedResults.Created($"/api/incidents/{IncidentReference.Format(number)}/timeline", TimelineEntryDto.From(entry));
    }

    private static async Task<Created<IncidentDto>> AddLink(
        string reference, LinkRequest request, IncidentService incidents, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var type = errors.Parse<LinkType>(request.Type ?? "", "type", LinkTypeText.TryParse, LinkTypeText.Accepted);
        errors.ThrowIfAny();
        var edit = new IncidentEdit { Link = (type!.Value, request.TargetId ?? "") };
        var update = await incidents.EditAsync(number, edit, request.Actor ?? DefaultActor, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/incidents/{update.After.Reference}", IncidentDto.From(update.After));
    }

    /// <summary>Figures over incidents declared in the window; the default window is the past 30 days.</summary>
    private static async Task<Ok<StatsDto>> Stats(
        IIncidentReader incidents, TimeProvider time, [FromQuery] string? since, [FromQuery] string? until, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var now = time.GetUtcNow();
        var from = errors.ParseTime(since, "since", now) ?? now.AddDays(-30);
        var to = errors.ParseTime(until, "until", now) ?? now;
        if (from >= to)
        {
            errors.Add("since", "since must be before until.");
        }

        errors.ThrowIfAny();
        return TypedResults.Ok(StatsDto.From(await incidents.GetStatsAsync(from, to, cancellationToken)));
    }

    private static string ETag(Incident incident) => $"\"{incident.Version}\"";

    private static long? ExpectedVersion(HttpRequest request, RequestErrors errors)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
        {
            return null;
        }

        if (long.TryParse(ifMatch.Trim().TrimStart('W', '/').Trim('"'), out var version))
        {
            return version;
        }

        errors.Add("If-Match", "If-Match must be the ETag of a GET of this incident.");
        return null;
    }
}
