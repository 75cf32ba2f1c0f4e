-- Public registration (issue 15). Each edition's settings say which
-- categories the public may register for, which of them wait for an
-- organiser's approval, and how many places each category has. Missing
-- row: the defaults (enterprise only, no approval, no limit).
-- public_categories and approval_categories are comma-separated lists;
-- capacity is a JSON object from category to places.
CREATE TABLE registration_settings (
    edition_id          INTEGER PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
    public_categories   TEXT NOT NULL DEFAULT 'enterprise',
    approval_categories TEXT NOT NULL DEFAULT '',
    capacity            TEXT NOT NULL DEFAULT '{}',
    privacy_version     TEXT NOT NULL DEFAULT 'default',
    updated_at          TIMESTAMP NOT NULL
);

-- Every privacy text (个人信息保护) an edition has shown, by version: a
-- registration stores the version it consented to, and this keeps the
-- words of that version after the organiser writes a new one.
CREATE TABLE privacy_texts (
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (edition_id, version)
);

-- status: approved (the badge is valid), pending (waits for an organiser),
-- waiting (on the category's waiting list, first come first served by id),
-- cancelled (the badge code was replaced, so the old one is revoked).
-- manage_hash is the SHA-256 of the attendee's self-service link token.
ALTER TABLE attendees ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
    CHECK (status IN ('approved','pending','waiting','cancelled'));
ALTER TABLE attendees ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN consent_version TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN consented_at TIMESTAMP;
ALTER TABLE attendees ADD COLUMN manage_hash TEXT;
CREATE UNIQUE INDEX attendees_manage ON attendees(manage_hash) WHERE manage_hash IS NOT NULL;
CREATE INDEX attendees_status ON attendees(edition_id, status, category, id);

-- A cancelled registration frees its phone number for a new one.
DROP INDEX attendees_phone;
CREATE UNIQUE INDEX attendees_phone ON attendees(edition_id, phone) WHERE phone <> '' AND status <> 'cancelled';
