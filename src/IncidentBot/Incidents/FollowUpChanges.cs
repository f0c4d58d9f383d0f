using System.Text.Json.Nodes;

namespace IncidentBot.Incidents;

/// <summary>Adds and changes an incident's follow-ups, each with the timeline entry that says so. Pure.</summary>
public static class FollowUpChanges
{
    public const int MaxFollowUps = 200;
    public const int MaxTextLength = 1_000;

    public static IncidentChange Add(Incident current, NewFollowUp followUp, string? actorId, DateTimeOffset now)
    {
        if (current.FollowUps.Count >= MaxFollowUps)
        {
            throw new IncidentConflictException($"{current.Reference} has {MaxFollowUps} follow-ups, as many as fit.");
        }

        var actor = IncidentFieldRules.UserId(actorId, "actor");
        var added = new FollowUp(
            current.FollowUps.Select(f => f.Id).DefaultIfEmpty(0).Max() + 1,
            Text(followUp.Text),
            IncidentFieldRules.UserId(followUp.OwnerId, "ownerId"),
            followUp.DueOn,
            FollowUpStatus.Open,
            now,
            actor);
        var text = $"Follow-up {added.Id} added: {added.Text}{Owned(added)}";
        return new IncidentChange(current with { FollowUps = [.. current.FollowUps, added] }, [Entry(TimelineEntryKind.FollowUpAdded, added, actor, now, text)]);
    }

    /// <exception cref="IncidentNotFoundException">Not an incident; a follow-up it does not have is a validation error of <c>id</c>.</exception>
    public static IncidentChange Change(Incident current, int id, FollowUpEdit edit, string? actorId, DateTimeOffset now)
    {
        var before = current.FollowUps.FirstOrDefault(f => f.Id == id)
            ?? throw new FollowUpNotFoundException(current.Number, id);
        var status = edit.Status ?? before.Status;
        var after = before with
        {
            Text = edit.Text is null ? before.Text : Text(edit.Text),
            OwnerId = IncidentFieldRules.UserId(edit.OwnerId, "ownerId") ?? before.OwnerId,
            DueOn = edit.DueOn ?? before.DueOn,
            Status = status,
            DoneAt = status == before.Status ? before.DoneAt : status == FollowUpStatus.Done ? now : null,
        };
        if (after == before)
        {
            return IncidentChange.None(current);
        }

        var actor = IncidentFieldRules.UserId(actorId, "actor");
        var text = status != before.Status
            ? $"Follow-up {id} {(status == FollowUpStatus.Done ? "done" : "reopened")}: {after.Text}"
            : $"Follow-up {id} changed: {after.Text}{Owned(after)}";
        var entry = Entry(TimelineEntryKind.FollowUpChanged, after, actor, now, text);
        entry.Data!["from"] = before.Status.ToLabel();
        return new IncidentChange(
            current with { FollowUps = [.. current.FollowUps.Select(f => f.Id == id ? after : f)] },
            [entry]);
    }

    /// <summary>", owner U1, due 2026-12-15", or nothing.</summary>
    public static string Owned(FollowUp followUp) =>
        (followUp.OwnerId is null ? "" : $", owner {followUp.OwnerId}") + (followUp.DueOn is { } due ? $", due {due:yyyy-MM-dd}" : "");

    private static string Text(string? text) =>
        IncidentFieldRules.Detail(text, "text", MaxTextLength) ?? throw new IncidentValidationException("text", "Say what is to be done.");

    private static NewTimelineEntry Entry(TimelineEntryKind kind, FollowUp followUp, string? actor, DateTimeOffset now, string text) =>
        new(kind, now, actor, text, new JsonObject
        {
            ["id"] = followUp.Id,
            ["text"] = followUp.Text,
            ["owner"] = followUp.OwnerId,
            ["dueOn"] = followUp.DueOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["status"] = followUp.Status.ToLabel(),
        });
}

public sealed class FollowUpNotFoundException(long number, int id)
    : Exception($"{IncidentReference.Format(number)} has no follow-up {id}.");
