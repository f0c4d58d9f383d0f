using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentBot.Api;

/// <summary>The incident's roles besides the commander, and its follow-ups, under <c>/api/incidents/{reference}</c>.</summary>
public static class FollowUpsApi
{
    private const string DefaultActor = "api";

    public static IEndpointRouteBuilder MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/incidents/{reference}").RequireApiKey().WithTags("Incidents").ProducesApiProblems();
        api.MapPut("/roles/{role}", AssignRole).WithSummary("Give a role besides the commander (Incidents:Roles) to someone").ProducesBodyProblems();
        api.MapGet("/followups", List).WithSummary("The incident's follow-ups, in the order they were added");
        api.MapPost("/followups", Add).WithSummary("Add a follow-up").ProducesBodyProblems().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPatch("/followups/{id}", Change).WithSummary("Change what is given of a follow-up: done, reopened, owner, due date, text")
            .ProducesBodyProblems();
        return app;
    }

    private static async Task<Ok<IncidentDto>> AssignRole(
        string reference, string role, RoleRequest request, IncidentService incidents, CancellationToken cancellationToken)
    {
        var number = new RequestErrors().Reference(reference);
        var update = await incidents.AssignRoleAsync(number, role, request.UserId, request.Actor ?? DefaultActor, cancellationToken);
        return TypedResults.Ok(IncidentDto.From(update.After));
    }

    private static async Task<Ok<Page<FollowUpDto>>> List(string reference, IIncidentReader incidents, CancellationToken cancellationToken)
    {
        var incident = await incidents.GetRequiredAsync(new RequestErrors().Reference(reference), cancellationToken);
        return TypedResults.Ok(new Page<FollowUpDto>([.. incident.FollowUps.Select(FollowUpDto.From)], null));
    }

    private static async Task<Created<FollowUpDto>> Add(
        string reference, AddFollowUpRequest request, IncidentService incidents, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var dueOn = errors.Parse<DateOnly>(request.DueOn, "dueOn", TryParseDay, FieldForms.Day);
        errors.ThrowIfAny();
        var update = await incidents.AddFollowUpAsync(number, new NewFollowUp(request.Text ?? "", request.OwnerId, dueOn), request.Actor ?? DefaultActor, cancellationToken);
        var added = update.After.FollowUps[^1];
        return TypedResults.Created($"/api/incidents/{update.After.Reference}/followups/{added.Id}", FollowUpDto.From(added));
    }

    private static async Task<Ok<FollowUpDto>> Change(
        string reference, int id, ChangeFollowUpRequest request, IncidentService incidents, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var number = errors.Reference(reference);
        var edit = new FollowUpEdit(
            request.Text,
            request.OwnerId,
            errors.Parse<DateOnly>(request.DueOn, "dueOn", TryParseDay, FieldForms.Day),
            errors.Parse<FollowUpStatus>(request.Status, "status", FollowUpStatusText.TryParse, FollowUpStatusText.Accepted));
        errors.ThrowIfAny();
        var update = await incidents.ChangeFollowUpAsync(number, id, edit, request.Actor ?? DefaultActor, cancellationToken);
        return TypedResults.Ok(FollowUpDto.From(update.After.FollowUps.Single(f => f.Id == id)));
    }

    private static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RoleRequest(
    [property: Description(FieldForms.UserId)] string? UserId,
    [property: Description(FieldForms.Actor)] string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AddFollowUpRequest(
    [property: Description("a text: what is to be done")] string? Text,
    [property: Description(FieldForms.UserId + ", who owns it")] string? OwnerId = null,
    [property: Description(FieldForms.Day)] string? DueOn = null,
    [property: Description(FieldForms.Actor)] string? Actor = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChangeFollowUpRequest(
    [property: Description("a text: what is to be done")] string? Text = null,
    [property: Description(FieldForms.UserId + ", who owns it")] string? OwnerId = null,
    [property: Description(FieldForms.Day)] string? DueOn = null,
    [property: Description("a text: " + FollowUpStatusText.Accepted)] string? Status = null,
    [property: Description(FieldForms.Actor)] string? Actor = null);

public sealed record RoleDto(string Role, string UserId, DateTime AssignedAt, string? AssignedBy)
{
    public static RoleDto From(RoleAssignment role) => new(role.Role, role.UserId, role.AssignedAt.UtcDateTime, role.AssignedBy);
}

public sealed record FollowUpDto(int Id, string Text, string? OwnerId, string? DueOn, string Status, DateTime CreatedAt, string? CreatedBy, DateTime? DoneAt)
{
    public static FollowUpDto From(FollowUp f) => new(
        f.Id,
        f.Text,
        f.OwnerId,
        f.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        f.Status.ToLabel(),
        f.CreatedAt.UtcDateTime,
        f.CreatedBy,
        f.DoneAt?.UtcDateTime);
}
