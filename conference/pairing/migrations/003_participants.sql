-- The participants' side of the pairing hall: a project's contact person
-- acts through a personal link (对接人链接) instead of an account.

-- A personal link: only the SHA-256 of the token is kept, so a link cannot
-- be read back from the database, only replaced. revoked_at set means the
-- link answers 404. A project has at most one live link.
CREATE TABLE participant_links (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX participant_links_live ON participant_links(project_id) WHERE revoked_at IS NULL;

-- A meeting request from one project to a counterpart of the other kind.
-- It is not a pairing: only an accepted request becomes one (stage
-- contacted), so open and declined requests never count in the hall's
-- figures or the reports. demand_id/supply_id name the pair whatever side
-- asked; one open request per pair. The asking side may withdraw an open
-- request.
CREATE TABLE participant_requests (
    id              INTEGER PRIMARY KEY,
    edition_id      INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    from_project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    to_project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    demand_id       INTEGER NOT NULL,
    supply_id       INTEGER NOT NULL,
    message         TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','accepted','declined','withdrawn')),
    reason          TEXT NOT NULL DEFAULT '',
    answered_by     TEXT NOT NULL DEFAULT '',
    pairing_id      INTEGER REFERENCES pairings(id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL,
    answered_at     TIMESTAMP,
    CHECK (from_project_id <> to_project_id)
);
CREATE UNIQUE INDEX participant_requests_open ON participant_requests(demand_id, supply_id) WHERE state = 'open';
CREATE INDEX participant_requests_edition ON participant_requests(edition_id, id);
CREATE INDEX participant_requests_from ON participant_requests(from_project_id);
CREATE INDEX participant_requests_to ON participant_requests(to_project_id);

-- The half-days a project's contact is at the pairing hall, by the start
-- of the half-day (09:00 or 14:00 Beijing time, stored in UTC). No row for
-- a project means it has not said, and any time will do.
CREATE TABLE participant_availability (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    starts_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, starts_at)
);

-- What each side said after a meeting; the latest report per side counts.
CREATE TABLE participant_outcomes (
    pairing_id  INTEGER NOT NULL REFERENCES pairings(id) ON DELETE CASCADE,
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL CHECK (outcome IN ('met','interested','not_interested')),
    reported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pairing_id, project_id)
);
