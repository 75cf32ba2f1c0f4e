-- One demand matched with one supply project of the same edition (供需对接).
-- request is 'none' for a pairing an organiser or coordinator made; a
-- delegation's request is 'pending' until the other side's delegation
-- accepts or declines it. ceremony_position places an agreement in the
-- signing ceremony (集中签约); NULL keeps it off the stage.
CREATE TABLE pairings (
    id                INTEGER PRIMARY KEY,
    edition_id        INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    demand_id         INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    supply_id         INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    stage             TEXT NOT NULL DEFAULT 'proposed' CHECK (stage IN
                      ('proposed','contacted','met','negotiating','intent','agreement','signed','dropped')),
    request           TEXT NOT NULL DEFAULT 'none' CHECK (request IN ('none','pending','accepted','declined')),
    requested_by      INTEGER REFERENCES delegations(id) ON DELETE SET NULL,
    message           TEXT NOT NULL DEFAULT '',
    amount_wan        REAL CHECK (amount_wan IS NULL OR amount_wan >= 0),
    signed_on         DATE,
    signatories       TEXT NOT NULL DEFAULT '',
    drop_reason       TEXT NOT NULL DEFAULT '',
    ceremony_position INTEGER CHECK (ceremony_position IS NULL OR ceremony_position > 0),
    created_by        INTEGER, -- users.id; no foreign key, as in projects.created_by
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (demand_id, supply_id),
    CHECK (demand_id <> supply_id)
);
CREATE INDEX pairings_edition_stage ON pairings(edition_id, stage);
CREATE INDEX pairings_supply ON pairings(supply_id);

-- Every stage change, with who made it and when; never updated.
CREATE TABLE pairing_changes (
    id          INTEGER PRIMARY KEY,
    pairing_id  INTEGER NOT NULL REFERENCES pairings(id) ON DELETE CASCADE,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    amount_wan  REAL,
    signed_on   DATE,
    note        TEXT NOT NULL DEFAULT '',
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    changed_at  TIMESTAMP NOT NULL
);
CREATE INDEX pairing_changes_pairing ON pairing_changes(pairing_id, id);

-- A pairing's meeting (洽谈) at a table in one slot of a pairing session.
-- edition, projects and presenters are copied from the pairing so that the
-- clash checks (ours and the roadshow's) are indexed lookups. The unique
-- key is what makes two concurrent bookings of one table and slot end with
-- one winner.
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    pairing_id       INTEGER NOT NULL UNIQUE REFERENCES pairings(id) ON DELETE CASCADE,
    session_id       INTEGER NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
    edition_id       INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    table_no         INTEGER NOT NULL CHECK (table_no >= 1),
    starts_at        TIMESTAMP NOT NULL,
    ends_at          TIMESTAMP NOT NULL,
    demand_id        INTEGER NOT NULL,
    supply_id        INTEGER NOT NULL,
    demand_presenter TEXT NOT NULL DEFAULT '',
    supply_presenter TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    UNIQUE (session_id, table_no, starts_at),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_edition_time ON meetings(edition_id, starts_at);
CREATE INDEX meetings_demand_presenter ON meetings(edition_id, demand_presenter);
CREATE INDEX meetings_supply_presenter ON meetings(edition_id, supply_presenter);

-- A change counter per edition, bumped by triggers on every project change,
-- so the in-memory match index knows when to rebuild with one key lookup
-- instead of scanning the projects.
CREATE TABLE match_versions (
    edition_id INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL
);
CREATE TRIGGER projects_match_insert AFTER INSERT ON projects BEGIN
    INSERT INTO match_versions (edition_id, version) VALUES (NEW.edition_id, 1)
    ON CONFLICT (edition_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER projects_match_update AFTER UPDATE ON projects BEGIN
    INSERT INTO match_versions (edition_id, version) VALUES (NEW.edition_id, 1)
    ON CONFLICT (edition_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER projects_match_delete AFTER DELETE ON projects BEGIN
    INSERT INTO match_versions (edition_id, version) VALUES (OLD.edition_id, 1)
    ON CONFLICT (edition_id) DO UPDATE SET version = version + 1;
END;
