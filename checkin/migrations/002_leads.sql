-- A lead: what booth staff noted about a visitor whose badge they scanned
-- at a booth checkpoint (an accepted scan). delegation_id is the exhibitor
-- holding the booth when the lead was taken: the lead stays theirs if the
-- booth later changes hands. One lead per scan; saving again replaces it.
CREATE TABLE leads (
    id            INTEGER PRIMARY KEY,
    scan_row      INTEGER NOT NULL UNIQUE REFERENCES scans(id) ON DELETE CASCADE,
    booth_id      INTEGER NOT NULL REFERENCES booths(id) ON DELETE CASCADE,
    delegation_id INTEGER REFERENCES delegations(id) ON DELETE SET NULL,
    attendee_id   INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,
    rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
    note          TEXT NOT NULL DEFAULT '',
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX leads_booth ON leads(booth_id, created_at);
CREATE INDEX leads_delegation ON leads(delegation_id);
