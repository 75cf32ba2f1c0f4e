-- Corrections (issue 17). A change that moves a pairing backward, drops it
-- or reopens it carries a reason and is marked as a correction; a move
-- below agreement keeps the amount and date it took off the pairing in
-- previous_amount_wan / previous_signed_on.
ALTER TABLE pairing_changes ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE pairing_changes ADD COLUMN correction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pairing_changes ADD COLUMN previous_amount_wan REAL;
ALTER TABLE pairing_changes ADD COLUMN previous_signed_on DATE;

-- Notes on a pairing: their own action, never a stage change.
CREATE TABLE pairing_notes (
    id          INTEGER PRIMARY KEY,
    pairing_id  INTEGER NOT NULL REFERENCES pairings(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX pairing_notes_pairing ON pairing_notes(pairing_id, id);

-- Read-only links to an edition's big-screen board (kiosk): only the
-- SHA-256 of the token is kept; a revoked link stops working.
CREATE TABLE board_links (
    id          INTEGER PRIMARY KEY,
    edition_id  INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX board_links_edition ON board_links(edition_id);
