-- A person with a badge for one edition. code is the current badge code;
-- a reissue replaces it, and a validly signed code that is no longer any
-- attendee's current code is therefore revoked.
CREATE TABLE attendees (
    id            INTEGER PRIMARY KEY,
    edition_id    INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('guest','expert','enterprise','delegation','media','staff')),
    delegation_id INTEGER REFERENCES delegations(id) ON DELETE SET NULL,
    code          TEXT NOT NULL UNIQUE,
    source        TEXT NOT NULL DEFAULT 'organiser' CHECK (source IN ('organiser','public','demo')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX attendees_edition ON attendees(edition_id, category);
CREATE INDEX attendees_delegation ON attendees(delegation_id);
-- One registration per phone number and edition.
CREATE UNIQUE INDEX attendees_phone ON attendees(edition_id, phone) WHERE phone <> '';

-- A place where codes are scanned. categories is a comma-separated list
-- of the attendee categories let in ('' lets everyone in). opens_at and
-- closes_at bound when scans are accepted. session_id names a session of
-- the edition; it has no foreign key because sessions are not in the
-- schema yet.
CREATE TABLE checkpoints (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('gate','session','booth')),
    session_id INTEGER,
    booth_id   INTEGER REFERENCES booths(id) ON DELETE SET NULL,
    rule       TEXT NOT NULL CHECK (rule IN ('once','once_per_day','multiple')),
    categories TEXT NOT NULL DEFAULT '',
    opens_at   TIMESTAMP,
    closes_at  TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (edition_id, name)
);

-- Staff accounts limited to some checkpoints. A staff account with no row
-- here may scan at every checkpoint.
CREATE TABLE checkpoint_staff (
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (checkpoint_id, user_id)
);
CREATE INDEX checkpoint_staff_user ON checkpoint_staff(user_id);

-- Every scan, whatever its verdict. scan_id is the client's ID for the
-- submission: sending it again answers the stored result. scanned_at is
-- when the scan counts (the device's time when plausible, else the
-- server's), day its date in Beijing; device_at and server_at are kept as
-- received.
CREATE TABLE scans (
    id            INTEGER PRIMARY KEY,
    scan_id       TEXT NOT NULL UNIQUE,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    edition_id    INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    attendee_id   INTEGER REFERENCES attendees(id) ON DELETE SET NULL,
    code          TEXT NOT NULL,
    verdict       TEXT NOT NULL CHECK (verdict IN ('accepted','duplicate','rejected')),
    reason        TEXT NOT NULL DEFAULT '',
    first_id      INTEGER REFERENCES scans(id) ON DELETE SET NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    device        TEXT NOT NULL DEFAULT '',
    device_at     TIMESTAMP,
    server_at     TIMESTAMP NOT NULL,
    scanned_at    TIMESTAMP NOT NULL,
    day           TEXT NOT NULL
);
CREATE INDEX scans_first ON scans(checkpoint_id, attendee_id, day) WHERE verdict = 'accepted';
CREATE INDEX scans_edition_day ON scans(edition_id, day, checkpoint_id);
CREATE INDEX scans_attendee ON scans(attendee_id);
