-- The audit trail: one row for every write through the pages, the API or
-- the command line, written in the same transaction as the change. Rows
-- are only ever inserted: nothing updates or deletes them.
-- account is the username, "public" for an unsigned request, or "system";
-- changes is a JSON object {field: [before, after]} with personal fields
-- already masked.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    account    TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL DEFAULT 0,
    action     TEXT NOT NULL,
    changes    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_account ON audit_log(account, at);
