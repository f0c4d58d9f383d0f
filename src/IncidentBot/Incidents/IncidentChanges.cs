using System.Text.Json.Nodes;

namespace IncidentBot.Incidents;

/// <summary>
/// Turns a declaration or an edit into the incident's next state and the timeline entries that say
/// what changed. Pure: the store commits both in one transaction.
/// </summary>
public static class IncidentChanges
{
    public static IncidentChange Declare(IncidentDraft draft, DateTimeOffset now)
    {
        var declaredBy = IncidentFieldRules.UserId(draft.DeclaredBy, "declaredBy");
        var incident = new Incident
        {
            Title = IncidentFieldRules.Title(draft.Title),
            Severity = draft.Severity,
            Status = IncidentStatus.Active,
            Services = IncidentFieldRules.Services(draft.Services),
            Environment = IncidentFieldRules.Detail(draft.Environment, "environment", 100),
            Description = IncidentFieldRules.Detail(draft.Description, "description"),
            CustomerImpact = IncidentFieldRules.Detail(draft.CustomerImpact, "impact"),
            DeclaredBy = declaredBy,
            CommanderId = IncidentFieldRules.UserId(draft.CommanderId, "commanderId"),
            ImpactStartedAt = IncidentFieldRules.ImpactStart(draft.ImpactStartedAt, now),
            DeclaredAt = now,
            UpdatedAt = now,
            Version = 1,
            IsPrivate = draft.IsPrivate,
        }.MoveTo(draft.Status, now);

        var data = new JsonObject
        {
            ["severity"] = incident.Severity.ToLabel(),
            ["status"] = incident.Status.ToLabel(),
            ["services"] = new JsonArray([.. incident.Services.Select(service => JsonValue.Create(service))]),
        };
        if (incident.ImpactStartedAt is { } impactStart)
        {
            data["impactStartedAt"] = impactStart;
        }

        var text = $"Incident declared: {incident.Title} ({incident.Severity.ToLabel()}, {incident.Status.ToLabel()})";
        return new IncidentChange(incident, [new NewTimelineEntry(TimelineEntryKind.Declared, now, declaredBy, text, data)]);
    }

    /// <summary>
    /// A past incident, told as it happened: declared at <paramref name="declaredAt"/>, resolved at
    /// <paramref name="resolvedAt"/>, with the entries a live one would have of both.
    /// </summary>
    public static IncidentChange DeclareResolved(IncidentDraft draft, DateTimeOffset declaredAt, DateTimeOffset resolvedAt)
    {
        var declared = IncidentFieldRules.ToMilliseconds(declaredAt)!.Value;
        var resolved = IncidentFieldRules.ToMilliseconds(resolvedAt < declaredAt ? declaredAt : resolvedAt)!.Value;
        var declaration = Declare(draft with { Status = IncidentStatus.Active }, declared);
        var told = declaration.Then(Apply(declaration.Incident, new IncidentEdit { Status = IncidentStatus.Resolved }, null, resolved));
        return told with { Incident = told.Incident with { Version = 2, UpdatedAt = resolved } };
    }

    public static IncidentChange Apply(Incident current, IncidentEdit edit, string? actorId, DateTimeOffset now)
    {
        var recorder = new ChangeRecorder(current, actorId, now);
        recorder.Status(edit.Status);
        recorder.Severity(edit.Severity);
        recorder.Commander(edit.CommanderId);
        recorder.Title(edit.Title);
        recorder.Detail(edit.CustomerImpact, "impact", "Customer impact", i => i.CustomerImpact, (i, v) => i with { CustomerImpact = v });
        recorder.Detail(edit.Description, "description", "Description", i => i.Description, (i, v) => i with { Description = v });
        recorder.Detail(edit.MitigationSummary, "mitigationSummary", "Mitigation summary", i => i.MitigationSummary, (i, v) => i with { MitigationSummary = v });
        recorder.Detail(edit.ResolutionSummary, "resolutionSummary", "Resolution summary", i => i.ResolutionSummary, (i, v) => i with { ResolutionSummary = v });
        recorder.Services(edit.AddServices, edit.RemoveServices);
        recorder.Link(edit.Link);
        recorder.ImpactStart(IncidentFieldRules.ImpactStart(edit.ImpactStartedAt, now));
        return recorder.ToChange();
    }

    /// <summary>
    /// Links an alert the first time it is reported, then records each change of it (resolved, firing again, a note
    /// from its source). The earliest alert start becomes the impact start when none is known or it is earlier;
    /// the alert's services join the incident's. When the last firing alert resolves, an entry says so, and the
    /// incident is resolved only when the alert's rule allows it.
    /// </summary>
    public static IncidentChange ReportAlert(Incident current, AlertReport alert, string? actorId, DateTimeOffset now)
    {
        var recorder = new ChangeRecorder(current, actorId, now);
        alert = alert with
        {
            StartedAt = IncidentFieldRules.ToMilliseconds(alert.StartedAt),
            EndedAt = IncidentFieldRules.ToMilliseconds(alert.EndedAt),
        };
        var resolvedNow = recorder.Alert(alert);
        recorder.Services(alert.Services, null);
        if (alert.StartedAt is { } started && (current.ImpactStartedAt is null || started < current.ImpactStartedAt))
        {
            recorder.ImpactStart(started > now ? now : started);
        }

        if (resolvedNow && recorder.EveryAlertResolved())
        {
            recorder.AllAlertsResolved(alert.ResolvesIncident);
        }

        return recorder.ToChange();
    }

    /// <summary>A deliberate post (update, action, resolution) by a person or program.</summary>
    public static IncidentChange Post(Incident current, TimelineEntryKind kind, string? text, string? actorId, DateTimeOffset now)
    {
        if (!TimelineEntryKinds.Postable.Contains(kind))
        {
            throw new IncidentValidationException("type", "The type must be update, action or resolution.");
        }

        var entry = new NewTimelineEntry(kind, now, IncidentFieldRules.UserId(actorId, "actor"), IncidentFieldRules.TimelineText(text));
        return new IncidentChange(current, [entry]);
    }

    /// <summary>Gives <paramref name="role"/> (a configured one, see <see cref="IncidentRoles"/>) to <paramref name="userId"/>.</summary>
    public static IncidentChange AssignRole(Incident current, string role, string? userId, string? actorId, DateTimeOffset now)
    {
        var to = IncidentFieldRules.UserId(userId, "userId") ?? throw new IncidentValidationException("userId", $"Say who becomes the {role}.");
        var from = current.HolderOf(role);
        if (from == to)
        {
            return IncidentChange.None(current);
        }

        var assignment = new RoleAssignment(role, to, now, IncidentFieldRules.UserId(actorId, "actor"));
        var roles = from is null ? [.. current.Roles, assignment] : current.Roles.Select(r => r.Role == role ? assignment : r).ToList();
        var text = from is null ? $"{Capitalized(role)} set to {to}" : $"{Capitalized(role)} changed from {from} to {to}";
        var data = new JsonObject { ["role"] = role, ["from"] = from, ["to"] = to };
        return new IncidentChange(current with { Roles = roles }, [new NewTimelineEntry(TimelineEntryKind.RoleAssigned, now, assignment.AssignedBy, text, data)]);
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private sealed class ChangeRecorder(Incident current, string? actorId, DateTimeOffset now)
    {
        private readonly List<NewTimelineEntry> entries = [];
        private Incident incident = current;

        public IncidentChange ToChange() => new(incident, entries);

        public void Status(IncidentStatus? to)
        {
            if (to is not { } status || status == incident.Status)
            {
                return;
            }

            var from = incident.Status;
            incident = incident.MoveTo(status, now);
            Record(TimelineEntryKind.StatusChanged, $"Status changed from {from.ToLabel()} to {status.ToLabel()}", from.ToLabel(), status.ToLabel());
        }

        public void Severity(Severity? to)
        {
            if (to is not { } severity || severity == incident.Severity)
            {
                return;
            }

            var from = incident.Severity;
            incident = incident with { Severity = severity };
            Record(TimelineEntryKind.SeverityChanged, $"Severity changed from {from.ToLabel()} to {severity.ToLabel()}", from.ToLabel(), severity.ToLabel());
        }

        public void Commander(string? commanderId)
        {
            var to = IncidentFieldRules.UserId(commanderId, "commanderId");
            if (to is null || to == incident.CommanderId)
            {
                return;
            }

            var from = incident.CommanderId;
            incident = incident with { CommanderId = to };
            var text = from is null ? $"Commander set to {to}" : $"Commander changed from {from} to {to}";
            Record(TimelineEntryKind.CommanderChanged, text, from, to);
        }

        public void Title(string? title)
        {
            if (title is null)
            {
                return;
            }

            var to = IncidentFieldRules.Title(title);
            if (to == incident.Title)
            {
                return;
            }

            var from = incident.Title;
            incident = incident with { Title = to };
            Record(TimelineEntryKind.DetailsChanged, $"Title changed from \"{from}\" to \"{to}\"", from, to, "title");
        }

        public void Detail(string? text, string field, string label, Func<Incident, string?> read, Func<Incident, string?, Incident> write)
        {
            if (text is null)
            {
                return;
            }

            var to = IncidentFieldRules.Detail(text, field);
            var from = read(incident);
            if (to == from)
            {
                return;
            }

            incident = write(incident, to);
            Record(TimelineEntryKind.DetailsChanged, to is null ? $"{label} cleared" : $"{label}: {to}", from, to, field);
        }

        public void Services(IReadOnlyList<string>? add, IReadOnlyList<string>? remove)
        {
            var added = IncidentFieldRules.Services(add, "services").Except(incident.Services).ToList();
            var removed = IncidentFieldRules.Services(remove, "services").Intersect(incident.Services).ToList();
            if (added.Count == 0 && removed.Count == 0)
            {
                return;
            }

            var services = incident.Services.Except(removed).Concat(added).ToList();
            incident = incident with { Services = IncidentFieldRules.Services(services) };
            var parts = new List<string>();
            if (added.Count > 0)
            {
                parts.Add($"added {string.Join(", ", added)}");
            }

            if (removed.Count > 0)
            {
                parts.Add($"removed {string.Join(", ", removed)}");
            }

            var data = new JsonObject
            {
                ["added"] = new JsonArray([.. added.Select(s => JsonValue.Create(s))]),
                ["removed"] = new JsonArray([.. removed.Select(s => JsonValue.Create(s))]),
            };
            entries.Add(new NewTimelineEntry(TimelineEntryKind.ServicesChanged, now, actorId, "Services " + string.Join("; ", parts), data));
        }

        public void Link((LinkType Type, string Target)? link)
        {
            if (link is not { } requested)
            {
                return;
            }

            var target = IncidentFieldRules.LinkTarget(requested.Target);
            if (incident.Links.Any(l => l.Type == requested.Type && l.Target == target))
            {
                throw new IncidentConflictException($"{incident.Reference} already links {requested.Type.ToLabel()} {target}.");
            }

            incident = incident with { Links = [.. incident.Links, new LinkedResource(requested.Type, target, now, actorId)] };
            var data = new JsonObject { ["type"] = requested.Type.ToLabel(), ["target"] = target };
            entries.Add(new NewTimelineEntry(TimelineEntryKind.ResourceLinked, now, actorId, $"Linked {requested.Type.ToLabel()}: {target}", data));
        }

        public void ImpactStart(DateTimeOffset? to)
        {
            if (to is not { } start || start == incident.ImpactStartedAt)
            {
                return;
            }

            var from = incident.ImpactStartedAt;
            incident = incident with { ImpactStartedAt = start };
            var data = new JsonObject { ["from"] = from, ["to"] = start, ["field"] = "impactStartedAt" };
            entries.Add(new NewTimelineEntry(TimelineEntryKind.DetailsChanged, now, actorId, $"Impact start: {TimeText.Utc(start)}", data));
        }

        /// <returns>True when this report moved the alert from firing to resolved.</returns>
        public bool Alert(AlertReport alert)
        {
            var key = IncidentFieldRules.LinkTarget(alert.Key, "id");
            var title = IncidentFieldRules.Title(alert.Title);
            var url = alert.Url is null ? null : IncidentFieldRules.LinkTarget(alert.Url, "url");
            var existing = incident.Links.FirstOrDefault(l => l.Type == LinkType.Alert && l.Target == key);
            if (existing is null)
            {
                LinkAlert(alert, key, title, url);
                return false;
            }

            var before = existing.Alert ?? new LinkedAlertState(title, AlertStatus.Firing, alert.StartedAt, null);
            var status = alert.Status ?? before.Status;
            var after = new LinkedAlertState(
                title,
                status,
                before.StartedAt ?? alert.StartedAt,
                status == AlertStatus.Resolved ? alert.EndedAt ?? before.EndedAt ?? now : null);
            incident = incident with
            {
                Links = [.. incident.Links.Select(l => l == existing ? l with { Url = url ?? l.Url, Alert = after } : l)],
            };
            if (status != before.Status)
            {
                var text = status == AlertStatus.Resolved ? $"Alert resolved: {title}" : $"Alert firing again: {title}";
                AlertEntry(text, key, new JsonObject { ["from"] = before.Status.ToLabel(), ["to"] = status.ToLabel() });
            }

            if (IncidentFieldRules.Detail(alert.Note, "note", 500) is { } note)
            {
                AlertEntry($"Alert {title}: {note}", key, new JsonObject { ["note"] = note });
            }

            return before.Status == AlertStatus.Firing && status == AlertStatus.Resolved;
        }

        public bool EveryAlertResolved() => incident.IntakeAlerts.All(l => l.Alert!.Status == AlertStatus.Resolved);

        public void AllAlertsResolved(bool resolveIncident)
        {
            var count = incident.IntakeAlerts.Count();
            var text = count == 1 ? "The linked alert has resolved." : $"All {count} linked alerts have resolved.";
            if (!resolveIncident || !incident.Status.IsOpen())
            {
                AlertEntry(text + " Resolve the incident when the service is healthy again.", null, new JsonObject { ["allResolved"] = true });
                return;
            }

            AlertEntry(text, null, new JsonObject { ["allResolved"] = true });
            Status(IncidentStatus.Resolved);
        }

        private void LinkAlert(AlertReport alert, string key, string title, string? url)
        {
            var status = alert.Status ?? AlertStatus.Firing;
            var state = new LinkedAlertState(title, status, alert.StartedAt, status == AlertStatus.Resolved ? alert.EndedAt ?? now : null);
            incident = incident with { Links = [.. incident.Links, new LinkedResource(LinkType.Alert, key, now, actorId) { Url = url, Alert = state }] };
            var data = new JsonObject
            {
                ["type"] = LinkType.Alert.ToLabel(),
                ["target"] = key,
                ["url"] = url,
                ["status"] = status.ToLabel(),
                ["details"] = alert.Details?.DeepClone(),
            };
            entries.Add(new NewTimelineEntry(TimelineEntryKind.ResourceLinked, now, actorId, $"Linked alert ({status.ToLabel()}): {title}", data));
        }

        private void AlertEntry(string text, string? key, JsonObject data)
        {
            if (key is not null)
            {
                data["target"] = key;
            }

            entries.Add(new NewTimelineEntry(TimelineEntryKind.AlertChanged, now, actorId, text, data));
        }

        private void Record(TimelineEntryKind kind, string text, string? from, string? to, string? field = null)
        {
            var data = new JsonObject { ["from"] = from, ["to"] = to };
            if (field is not null)
            {
                data["field"] = field;
            }

            entries.Add(new NewTimelineEntry(kind, now, actorId, text, data));
        }
    }
}
