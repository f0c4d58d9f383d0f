namespace IncidentBot.Storage.Sqlite;

/// <param name="BeforeEveryCommit">
/// What every write transaction runs last, once this step is applied (e.g. indexing the rows it wrote for search).
/// </param>
/// <param name="BeforeSearch">
/// What a search has written first, once this step is applied (e.g. indexing what <paramref name="BeforeEveryCommit"/> left
/// for later).
/// </param>
internal sealed record SqliteMigration(int Version, string Name, string Sql, string? BeforeEveryCommit = null, string? BeforeSearch = null);

/// <summary>
/// New timeline entries (schema step 8) are indexed for search from <c>search_progress.indexed_through</c> up, a batch
/// of at least 256 at the end of the write transaction that reaches it, and whatever is pending
/// when someone searches. FTS5's cost a row falls with the rows one statement indexes (each statement writes a segment
/// and its structure record): while messages arrive two or three a transaction, indexing each transaction's rows
/// cost about twice as much CPU a row as indexing hundreds at once, and wrote an FTS5 page or two every commit.
/// Until a row is indexed, an edit or delete needs no re-indexing: it is indexed in its final state.
/// </summary>
internal static class SqliteSearchIndexing
{
    public static readonly string AllPendingSql = IndexPendingWhen("1");

    public static readonly string WhenABatchIsPendingSql = IndexPendingWhen(
        "(SELECT COALESCE(MAX(id), 0) FROM timeline_entries) - (SELECT indexed_through FROM search_progress WHERE index_name = 'timeline') >= 256");

    private static string IndexPendingWhen(string condition) => $"""
        INSERT INTO timeline_search (rowid, text)
        SELECT id, text FROM timeline_entries
        WHERE {condition}
            AND id > (SELECT indexed_through FROM search_progress WHERE index_name = 'timeline')
            AND deleted_at IS NULL AND kind IN ('message', 'update', 'action', 'resolution') AND text <> '';
        UPDATE search_progress SET indexed_through = (SELECT MAX(id) FROM timeline_entries)
        WHERE {condition}
            AND index_name = 'timeline' AND indexed_through < (SELECT COALESCE(MAX(id), 0) FROM timeline_entries);
        """;
}

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
        new(4, "full-text search over incidents and timelines; postmortem drafts", """
            -- Contentless FTS5 tables: the text stays in incidents and timeline_entries, the index only
            -- maps words to rows (rowid = incident number, or timeline entry id). contentless_delete lets
            -- the triggers drop a row by its id, so an edited message is re-indexed and a deleted one
            -- leaves search. Porter stemming: "attacks" finds "attack", "impacted" finds "impact".
            CREATE VIRTUAL TABLE incident_search USING fts5(
                title, services, details,
                content = '', contentless_delete = 1,
                tokenize = 'porter unicode61 remove_diacritics 2'
            );
            CREATE VIRTUAL TABLE timeline_search USING fts5(
                text,
                content = '', contentless_delete = 1,
                tokenize = 'porter unicode61 remove_diacritics 2'
            );

            -- What people wrote: Slack messages and deliberate posts. Automatic entries only repeat the
            -- incident's fields, which incident_search has already.
            CREATE TRIGGER timeline_search_insert AFTER INSERT ON timeline_entries
            WHEN NEW.deleted_at IS NULL AND NEW.kind IN ('message', 'update', 'action', 'resolution') AND NEW.text <> ''
            BEGIN
                INSERT INTO timeline_search (rowid, text) VALUES (NEW.id, NEW.text);
            END;
            CREATE TRIGGER timeline_search_update AFTER UPDATE OF text, deleted_at, kind ON timeline_entries
            BEGIN
                DELETE FROM timeline_search WHERE rowid = OLD.id;
                INSERT INTO timeline_search (rowid, text) SELECT NEW.id, NEW.text
                WHERE NEW.deleted_at IS NULL AND NEW.kind IN ('message', 'update', 'action', 'resolution') AND NEW.text <> '';
            END;
            CREATE TRIGGER timeline_search_delete AFTER DELETE ON timeline_entries
            BEGIN
                DELETE FROM timeline_search WHERE rowid = OLD.id;
            END;

            -- One row per incident: its title, its services and its free-text details.
            CREATE VIEW incident_search_source AS
            SELECT i.number AS number, i.title AS title,
                COALESCE((SELECT group_concat(s.service, ' ') FROM incident_services s WHERE s.incident_number = i.number), '') AS services,
                COALESCE(i.description, '') || ' ' || COALESCE(i.customer_impact, '') || ' ' || COALESCE(i.mitigation_summary, '')
                    || ' ' || COALESCE(i.resolution_summary, '') || ' ' || COALESCE(i.environment, '') AS details
            FROM incidents i;

            CREATE TRIGGER incident_search_insert AFTER INSERT ON incidents
            BEGIN
                INSERT INTO incident_search (rowid, title, services, details)
                SELECT number, title, services, details FROM incident_search_source WHERE number = NEW.number;
            END;
            CREATE TRIGGER incident_search_update AFTER UPDATE ON incidents
            WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.customer_impact IS NOT NEW.customer_impact
                OR OLD.mitigation_summary IS NOT NEW.mitigation_summary OR OLD.resolution_summary IS NOT NEW.resolution_summary
                OR OLD.environment IS NOT NEW.environment
            BEGIN
                DELETE FROM incident_search WHERE rowid = OLD.number;
                INSERT INTO incident_search (rowid, title, services, details)
                SELECT number, title, services, details FROM incident_search_source WHERE number = NEW.number;
            END;
            CREATE TRIGGER incident_search_delete AFTER DELETE ON incidents
            BEGIN
                DELETE FROM incident_search WHERE rowid = OLD.number;
            END;
            CREATE TRIGGER incident_services_search_insert AFTER INSERT ON incident_services
            BEGIN
                DELETE FROM incident_search WHERE rowid = NEW.incident_number;
                INSERT INTO incident_search (rowid, title, services, details)
                SELECT number, title, services, details FROM incident_search_source WHERE number = NEW.incident_number;
            END;
            CREATE TRIGGER incident_services_search_delete AFTER DELETE ON incident_services
            BEGIN
                DELETE FROM incident_search WHERE rowid = OLD.incident_number;
                INSERT INTO incident_search (rowid, title, services, details)
                SELECT number, title, services, details FROM incident_search_source WHERE number = OLD.incident_number;
            END;

            -- A file written by an older version is indexed once, here.
            INSERT INTO incident_search (rowid, title, services, details)
            SELECT number, title, services, details FROM incident_search_source;
            INSERT INTO timeline_search (rowid, text)
            SELECT id, text FROM timeline_entries
            WHERE deleted_at IS NULL AND kind IN ('message', 'update', 'action', 'resolution') AND text <> '';

            -- "Other incidents active within the past 2 hours" asks for the recently resolved ones.
            CREATE INDEX ix_incidents_resolved_at ON incidents (resolved_at);

            -- Every draft is kept; the highest version is the latest.
            CREATE TABLE postmortem_drafts (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                version         INTEGER NOT NULL,
                markdown        TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                created_by      TEXT,
                PRIMARY KEY (incident_number, version)
            ) WITHOUT ROWID;
            """),
        new(5, "embeddings of incidents, for related incidents by meaning", """
            -- One vector per incident and embedding model, made from the incident's text whose hash is kept:
            -- when the text changes (or the operator switches models) the vector is made again, lazily.
            -- The vector is little-endian float32, dimensions * 4 bytes.
            CREATE TABLE incident_embeddings (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                model           TEXT    NOT NULL,
                text_hash       TEXT    NOT NULL,
                dimensions      INTEGER NOT NULL,
                vector          BLOB    NOT NULL,
                created_at      INTEGER NOT NULL,
                PRIMARY KEY (incident_number, model)
            ) WITHOUT ROWID;
            """),
        new(6, "the range of timeline entry ids of each incident, for search", """
            -- The lowest and highest timeline entry id of an incident, one seek each: word search bounds its scan
            -- of timeline_search to the ids of the incidents that pass its filter (SqliteIncidentSearch.MatchAsync).
            CREATE INDEX ix_timeline_entries_incident_id ON timeline_entries (incident_number, id);
            """),
        new(7, "whether Slack work may run in any order", """
            -- Decided when the work is accepted (from the event's handlers), so running it needs no second parse.
            ALTER TABLE slack_work_items ADD COLUMN any_order INTEGER NOT NULL DEFAULT 0;
            """),
        new(8, "messages indexed for search once a transaction, not by a trigger a row", """
            -- FTS5 writes its pending words out at every statement that changes it, so a trigger per inserted
            -- message wrote one tiny segment a message (and merged them): about 30 µs of each stored message.
            -- New entries are now indexed in one INSERT … SELECT at the end of each write transaction
            -- (BeforeEveryCommit), from indexed_through up; edits and deletes of rows already indexed are still
            -- applied by triggers, and rows not indexed yet are indexed in their final state.
            CREATE TABLE search_progress (
                index_name      TEXT    PRIMARY KEY,
                indexed_through INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO search_progress (index_name, indexed_through)
            VALUES ('timeline', (SELECT COALESCE(MAX(id), 0) FROM timeline_entries));

            DROP TRIGGER timeline_search_insert;
            DROP TRIGGER timeline_search_update;
            DROP TRIGGER timeline_search_delete;
            CREATE TRIGGER timeline_search_update AFTER UPDATE OF text, deleted_at, kind ON timeline_entries
            WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE index_name = 'timeline')
            BEGIN
                DELETE FROM timeline_search WHERE rowid = OLD.id;
                INSERT INTO timeline_search (rowid, text) SELECT NEW.id, NEW.text
                WHERE NEW.deleted_at IS NULL AND NEW.kind IN ('message', 'update', 'action', 'resolution') AND NEW.text <> '';
            END;
            CREATE TRIGGER timeline_search_delete AFTER DELETE ON timeline_entries
            WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE index_name = 'timeline')
            BEGIN
                DELETE FROM timeline_search WHERE rowid = OLD.id;
            END;
            """, BeforeEveryCommit: SqliteSearchIndexing.WhenABatchIsPendingSql, BeforeSearch: SqliteSearchIndexing.AllPendingSql),
        new(9, "alerts linked by alert intake, when the impact started, and update reminders", """
            -- An alert from intake is a link whose target is its key (source:id), with where to see it and what
            -- its source last said of it. Intake finds the open incident of an alert by its key.
            ALTER TABLE incident_links ADD COLUMN url TEXT;
            ALTER TABLE incident_links ADD COLUMN alert_title TEXT;
            ALTER TABLE incident_links ADD COLUMN alert_status TEXT;
            ALTER TABLE incident_links ADD COLUMN alert_started_at INTEGER;
            ALTER TABLE incident_links ADD COLUMN alert_ended_at INTEGER;
            CREATE INDEX ix_incident_links_target ON incident_links (type, target);

            -- When customers started to feel it, for the time to detect (declared_at - impact_started_at).
            ALTER TABLE incidents ADD COLUMN impact_started_at INTEGER;

            -- When the channel was last reminded to post an update, and until when reminders are snoozed. Claiming a
            -- reminder is one conditional write, so of several processes exactly one posts it.
            CREATE TABLE incident_reminders (
                incident_number INTEGER PRIMARY KEY REFERENCES incidents (number),
                reminded_at     INTEGER NOT NULL DEFAULT 0,
                snoozed_until   INTEGER NOT NULL DEFAULT 0
            );
            """),
        new(10, "the outbox of DORA incident events", """
            -- One row per declaration and per resolution of an incident, written by triggers in the transaction that
            -- declares or resolves it, so no committed change can miss its event (DoraSender delivers them; the pull
            -- endpoint lists them). A resolution undone and made again is a new event: its time differs.
            -- next_attempt_at is also the lease of a row being sent, so two processes never send one row at once.
            CREATE TABLE dora_outbox (
                id              INTEGER PRIMARY KEY,
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                event           TEXT    NOT NULL,
                occurred_at     INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL DEFAULT 0,
                delivered_at    INTEGER,
                failed_at       INTEGER,
                last_error      TEXT,
                UNIQUE (incident_number, event, occurred_at)
            );
            CREATE INDEX ix_dora_outbox_pending ON dora_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
            CREATE INDEX ix_dora_outbox_occurred ON dora_outbox (occurred_at);
            CREATE TRIGGER dora_outbox_declared AFTER INSERT ON incidents
            BEGIN
                INSERT INTO dora_outbox (incident_number, event, occurred_at) VALUES (NEW.number, 'declared', NEW.declared_at);
                INSERT OR IGNORE INTO dora_outbox (incident_number, event, occurred_at)
                SELECT NEW.number, 'resolved', NEW.resolved_at WHERE NEW.resolved_at IS NOT NULL;
            END;
            CREATE TRIGGER dora_outbox_resolved AFTER UPDATE OF resolved_at ON incidents
            WHEN NEW.resolved_at IS NOT NULL AND NEW.resolved_at IS NOT OLD.resolved_at
            BEGIN
                INSERT OR IGNORE INTO dora_outbox (incident_number, event, occurred_at) VALUES (NEW.number, 'resolved', NEW.resolved_at);
            END;
            """),
        new(11, "roles besides the commander, follow-ups, and the weekly reminders of follow-ups", """
            -- Who holds each role of an incident; the commander stays in incidents.commander_id.
            CREATE TABLE incident_roles (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                role            TEXT    NOT NULL,
                user_id         TEXT    NOT NULL,
                assigned_at     INTEGER NOT NULL,
                assigned_by     TEXT,
                position        INTEGER NOT NULL,
                PRIMARY KEY (incident_number, role)
            ) WITHOUT ROWID;

            -- Work agreed for after the incident, numbered 1, 2, ... within it; due_on is a day (yyyy-MM-dd).
            CREATE TABLE incident_followups (
                incident_number INTEGER NOT NULL REFERENCES incidents (number),
                id              INTEGER NOT NULL,
                text            TEXT    NOT NULL,
                owner_id        TEXT,
                due_on          TEXT,
                status          TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                created_by      TEXT,
                done_at         INTEGER,
                PRIMARY KEY (incident_number, id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_incident_followups_open ON incident_followups (owner_id) WHERE status = 'open';

            -- When each owner was last reminded of their open follow-ups; claimed in one write, as incident_reminders.
            CREATE TABLE followup_reminders (
                owner_id    TEXT    PRIMARY KEY,
                reminded_at INTEGER NOT NULL DEFAULT 0
            );
            """),
        new(12, "private incidents", """
            -- A private incident has a private channel; only its members see it (IncidentAudience).
            ALTER TABLE incidents ADD COLUMN is_private INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_incidents_private ON incidents (number) WHERE is_private = 1;
            """),
        new(13, "event id claims without an index by time", """
            -- The index cost every acknowledgement a b-tree insert and a page or two of each commit; the claims are pruned
            -- once in ten minutes instead (SlackInboxStore), by a scan of at most the two hours of claims kept.
            DROP INDEX ix_slack_event_claims_claimed_at;
            """),
        new(14, "leases on jobs that one process at a time runs", """
            -- Who runs each cluster-wide job (the channel rescan, catch-up, embeddings) and until when, unless renewed
            -- (JobLeases; processes sharing this file take turns). A lease given up is deleted.
            CREATE TABLE job_leases (
                job        TEXT    PRIMARY KEY,
                holder     TEXT    NOT NULL,
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ];
}
