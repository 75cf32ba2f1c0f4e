-- Rooms of the venue, per edition (a venue may change from year to year).
CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    capacity   INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (edition_id, name)
);

-- A timed block in a room (场次 / 专场). Named agenda_sessions because the
-- accounts package owns "sessions" (sign-in sessions). meeting_minutes and
-- tables are used by pairing sessions only.
CREATE TABLE agenda_sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: releases and .ics UIDs name sessions by ID
    edition_id      INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    room_id         INTEGER NOT NULL REFERENCES rooms(id) ON DELETE RESTRICT,
    kind            TEXT NOT NULL CHECK (kind IN ('ceremony','roadshow','special','pairing')),
    title           TEXT NOT NULL,
    starts_at       TIMESTAMP NOT NULL,
    ends_at         TIMESTAMP NOT NULL,
    meeting_minutes INTEGER NOT NULL DEFAULT 20 CHECK (meeting_minutes > 0),
    tables          INTEGER NOT NULL DEFAULT 10 CHECK (tables > 0),
    criteria        TEXT NOT NULL DEFAULT '["innovation","maturity","market","team"]', -- JSON array of scoring criteria
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX agenda_sessions_edition ON agenda_sessions(edition_id, starts_at);
CREATE INDEX agenda_sessions_room ON agenda_sessions(room_id, starts_at);

-- One project pitched in a session (路演时段). edition_id and room_id are
-- copied from the session so that the clash check is one indexed lookup.
-- warnings is the JSON list of soft clashes found when the slot was saved.
CREATE TABLE slots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a release's change list compares slots by ID
    session_id INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    room_id    INTEGER NOT NULL REFERENCES rooms(id) ON DELETE RESTRICT,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    presenter  TEXT NOT NULL,
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    warnings   TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX slots_session ON slots(session_id, position);
CREATE INDEX slots_room_time ON slots(room_id, starts_at);
CREATE INDEX slots_edition_presenter ON slots(edition_id, presenter, starts_at);
CREATE INDEX slots_edition_project ON slots(edition_id, project_id, starts_at);

-- A released agenda (numbered per edition); snapshot is the JSON agenda as
-- the public saw it, so later edits never change a past release.
CREATE TABLE agenda_releases (
    id          INTEGER PRIMARY KEY,
    edition_id  INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number > 0),
    snapshot    TEXT NOT NULL,
    released_by INTEGER, -- users.id
    released_at TIMESTAMP NOT NULL,
    UNIQUE (edition_id, number)
);

-- A judge invited to score a session's pitches: either an account
-- (user_id) or a personal link whose token's SHA-256 is kept (the token
-- itself is shown once, when the invitation is made).
CREATE TABLE judges (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (token_hash IS NULL)),
    UNIQUE (session_id, user_id)
);

-- One judge's score of one pitch on one criterion, 1 to 10.
CREATE TABLE scores (
    judge_id   INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    slot_id    INTEGER NOT NULL REFERENCES slots(id) ON DELETE CASCADE,
    criterion  TEXT NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (judge_id, slot_id, criterion)
);
CREATE INDEX scores_slot ON scores(slot_id);
