-- One row per annual conference; number is the edition's ordinal (1st, 2nd, 3rd ...).
CREATE TABLE editions (
    id         INTEGER PRIMARY KEY,
    number     INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    starts_on  DATE NOT NULL,
    ends_on    DATE NOT NULL,
    city       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);

-- A city or organisation that brings projects and people to one edition.
-- Delegations are per edition so that each year's figures stand alone;
-- the same name across editions is how reports compare years.
CREATE TABLE delegations (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (edition_id, name)
);
CREATE INDEX delegations_edition ON delegations(edition_id);
