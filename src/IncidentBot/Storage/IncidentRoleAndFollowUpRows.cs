using System.Data;
using System.Globalization;
using Dapper;
using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// The incident's roles and follow-ups in <c>incident_roles</c> and <c>incident_followups</c>, read and written alike on
/// both providers: the SQL differs only in how a list of numbers is bound, which the caller says.
/// </summary>
internal static class IncidentRoleAndFollowUpRows
{
    /// <summary>Rewrites what changed between <paramref name="before"/> (null for a new incident) and <paramref name="after"/>.</summary>
    public static async Task SaveAsync(IDbConnection connection, IDbTransaction transaction, Incident? before, Incident after, CancellationToken cancellationToken)
    {
        var number = new { after.Number };
        if (before is null ? after.Roles.Count > 0 : !before.Roles.SequenceEqual(after.Roles))
        {
            await Execute(connection, transaction, "DELETE FROM incident_roles WHERE incident_number = @Number;", number, cancellationToken);
            await Execute(connection, transaction, """
                INSERT INTO incident_roles (incident_number, role, user_id, assigned_at, assigned_by, position)
                VALUES (@IncidentNumber, @Role, @UserId, @AssignedAt, @AssignedBy, @Position);
                """, after.Roles.Select((role, position) => RoleRow.From(after.Number, role, position)), cancellationToken);
        }

        if (before is null ? after.FollowUps.Count > 0 : !before.FollowUps.SequenceEqual(after.FollowUps))
        {
            await Execute(connection, transaction, "DELETE FROM incident_followups WHERE incident_number = @Number;", number, cancellationToken);
            await Execute(connection, transaction, """
                INSERT INTO incident_followups (incident_number, id, text, owner_id, due_on, status, created_at, created_by, done_at)
                VALUES (@IncidentNumber, @Id, @Text, @OwnerId, @DueOn, @Status, @CreatedAt, @CreatedBy, @DoneAt);
                """, after.FollowUps.Select(followUp => FollowUpRow.From(after.Number, followUp)), cancellationToken);
        }
    }

    /// <param name="numbersCondition">The provider's test of <c>incident_number</c> against the list <c>@Numbers</c>.</param>
    public static async Task<IReadOnlyList<Incident>> AddToAsync(
        IDbConnection connection, IDbTransaction? transaction, IReadOnlyList<Incident> incidents, string numbersCondition, object numbers,
        CancellationToken cancellationToken)
    {
        var roles = (await connection.QueryAsync<RoleRow>(new CommandDefinition(
                $"SELECT incident_number, role, user_id, assigned_at, assigned_by, position FROM incident_roles WHERE {numbersCondition} ORDER BY incident_number, position;",
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(r => r.IncidentNumber, r => r.ToAssignment());
        var followUps = (await connection.QueryAsync<FollowUpRow>(new CommandDefinition(
                $"""
                SELECT incident_number, id, text, owner_id, due_on, status, created_at, created_by, done_at
                FROM incident_followups WHERE {numbersCondition} ORDER BY incident_number, id;
                """,
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(f => f.IncidentNumber, f => f.ToFollowUp());
        return [.. incidents.Select(i => i with { Roles = [.. roles[i.Number]], FollowUps = [.. followUps[i.Number]] })];
    }

    /// <summary>The condition of <see cref="IncidentFilter.WithOpenOwnedFollowUps"/> on <c>incidents i</c>.</summary>
    public const string WithOpenOwnedFollowUps =
        "i.number IN (SELECT incident_number FROM incident_followups WHERE status = 'open' AND owner_id IS NOT NULL)";

    private static Task Execute(IDbConnection connection, IDbTransaction transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private sealed class RoleRow
    {
        public long IncidentNumber { get; set; }
        public string Role { get; set; } = "";
        public string UserId { get; set; } = "";
        public long AssignedAt { get; set; }
        public string? AssignedBy { get; set; }
        public int Position { get; set; }

        public static RoleRow From(long number, RoleAssignment role, int position) => new()
        {
            IncidentNumber = number,
            Role = role.Role,
            UserId = role.UserId,
            AssignedAt = UnixMs.From(role.AssignedAt),
            AssignedBy = role.AssignedBy,
            Position = position,
        };

        public RoleAssignment ToAssignment() => new(Role, UserId, UnixMs.To(AssignedAt), AssignedBy);
    }

    private sealed class FollowUpRow
    {
        private const string DayFormat = "yyyy-MM-dd";

        public long IncidentNumber { get; set; }
        public int Id { get; set; }
        public string Text { get; set; } = "";
        public string? OwnerId { get; set; }
        public string? DueOn { get; set; }
        public string Status { get; set; } = "";
        public long CreatedAt { get; set; }
        public string? CreatedBy { get; set; }
        public long? DoneAt { get; set; }

        public static FollowUpRow From(long number, FollowUp followUp) => new()
        {
            IncidentNumber = number,
            Id = followUp.Id,
            Text = followUp.Text,
            OwnerId = followUp.OwnerId,
            DueOn = followUp.DueOn?.ToString(DayFormat, CultureInfo.InvariantCulture),
            Status = followUp.Status.ToLabel(),
            CreatedAt = UnixMs.From(followUp.CreatedAt),
            CreatedBy = followUp.CreatedBy,
            DoneAt = UnixMs.From(followUp.DoneAt),
        };

        public FollowUp ToFollowUp() => new(
            Id,
            Text,
            OwnerId,
            DueOn is null ? null : DateOnly.ParseExact(DueOn, DayFormat, CultureInfo.InvariantCulture),
            FollowUpStatusText.TryParse(Status, out var status) ? status : throw new InvalidDataException($"Unknown follow-up status '{Status}' in INC-{IncidentNumber}."),
            UnixMs.To(CreatedAt),
            CreatedBy)
        {
            DoneAt = UnixMs.To(DoneAt),
        };
    }
}
