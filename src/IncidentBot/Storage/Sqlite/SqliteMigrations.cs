namespace IncidentBot.Storage.Sqlite;

internal sealed record SqliteMigration(int Version, string Name, string Sql);

/// <summary>
/// The schema, as the ordered list of steps that build it. The file's <c>PRAGMA user_version</c> says
/// how many have been applied, so a database written by an older version is brought up to date on open.
/// Never edit a step that has shipped: add a new one.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<SqliteMigration> All =
    [
        new(1, "incidents, services, links and the timeline", """
            CREATE TABLE incidents (
                number             INTEGER PRIMARY KEY AUTOINCREMENT,
                title              TEXT    NOT NULL,
                severity           INTEGER NOT NULL,
                status             TEXT    NOT NULL,
                commander_id       TEXT,
                environment        TEXT,
                customer_impact    TEXT,
                description        TEXT,
                declared_by        TEXT,
                mitigation_summary TEXT,
                resolution_summary TEXT,
                channel_id         TEXT UNIQUE,
                channel_name       TEXT,
                declared_at        INTEGER NOT NULL,
                stable_at          INTEGER,
                resolved_at        INTEGER,
                updated_at         INTEGER NOT NULL,
                version            INTEGER NOT NULL
            );
            CREATE INDEX ix_incidents_status ON incidents (status);
            CREATE INDEX ix_incidents_declared_at ON incidents (declared_at);

            CREATE TABLE incident_services (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                service         TEXT    NOT NULL,
                position        INTEGER NOT NULL,
                PRIMARY KEY (incident_number, service)
            ) WITHOUT ROWID;
            CREATE INDEX ix_incident_services_service ON incident_services (service);

            CREATE TABLE incident_links (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                type            TEXT    NOT NULL,
                target          TEXT    NOT NULL,
                linked_at       INTEGER NOT NULL,
                linked_by       TEXT,
                PRIMARY KEY (incident_number, type, target)
            ) WITHOUT ROWID;

            CREATE TABLE timeline_entries (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                incident_number  INTEGER NOT NULL REFERENCES incidents (number),
                kind             TEXT    NOT NULL,
                occurred_at      INTEGER NOT NULL,
                actor_id         TEXT,
                text             TEXT    NOT NULL,
                data             TEXT,
                slack_channel_id TEXT,
                slack_ts         TEXT,
                slack_thread_ts  TEXT,
                permalink        TEXT,
                is_bot           INTEGER NOT NULL DEFAULT 0,
                edited_at        INTEGER,
                deleted_at       INTEGER
            );
            CREATE INDEX ix_timeline_entries_incident ON timeline_entries (incident_number, occurred_at, id);
            -- A Slack message reaches the timeline once: (channel, ts) identifies it.
            CREATE UNIQUE INDEX ux_timeline_entries_slack_message
                ON timeline_entries (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL;
            """),
        new(2, "Slack work accepted but not yet done, and the event ids already taken", """
            CREATE TABLE slack_work_items (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                kind        TEXT    NOT NULL,
                payload     TEXT    NOT NULL,
                retry_num   INTEGER NOT NULL DEFAULT 0,
                retry_reason TEXT,
                enqueued_at INTEGER NOT NULL
            );

            -- Slack retries an event for about an hour at most; claims older than that are pruned.
            CREATE TABLE slack_event_claims (
                event_id   TEXT    PRIMARY KEY,
                claimed_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_slack_event_claims_claimed_at ON slack_event_claims (claimed_at);
            """),
        new(3, "what of each incident has been said in Slack", """
            -- The incident channel is brought up to date from the incident and its timeline; these
            -- columns say how far that has got, so a restart resumes where it stopped and says nothing twice.
            CREATE TABLE incident_slack_sync (
                incident_number        INTEGER PRIMARY KEY REFERENCES incidents (number),
                card_ts                TEXT,
                card_version           INTEGER NOT NULL DEFAULT 0,
                topic                  TEXT,
                lines_through_entry_id INTEGER NOT NULL DEFAULT 0,
                announced_through_entry_id INTEGER NOT NULL DEFAULT 0,
                attempts               INTEGER NOT NULL DEFAULT 0,
                next_attempt_at        INTEGER NOT NULL DEFAULT 0,
                last_error             TEXT
            );
            """),
    ];
}
