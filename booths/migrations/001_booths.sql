-- A zone (展区) of one edition's exhibition: a block of booths in a hall,
-- possibly belonging to one delegation. key marks a 重点展区; online marks
-- the cloud hall (云展厅), whose booths exist only on the web.
-- opens_on/closes_on are the opening days; NULL means the edition's days.
CREATE TABLE zones (
    id            INTEGER PRIMARY KEY,
    edition_id    INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    hall          TEXT NOT NULL DEFAULT '',
    key_zone      BOOLEAN NOT NULL DEFAULT FALSE,
    online        BOOLEAN NOT NULL DEFAULT FALSE,
    delegation_id INTEGER REFERENCES delegations(id) ON DELETE SET NULL,
    opens_on      DATE,
    closes_on     DATE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (edition_id, name),
    CHECK (closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on)
);
CREATE INDEX zones_edition ON zones(edition_id);

-- A booth (展位). Its code is unique in the edition; x, y, w, h place it on
-- its hall's floor plan in metres. delegation_id is the holder: NULL when
-- free, set when reserved or assigned (state tells which).
CREATE TABLE booths (
    id            INTEGER PRIMARY KEY,
    edition_id    INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    zone_id       INTEGER NOT NULL REFERENCES zones(id) ON DELETE RESTRICT,
    code          TEXT NOT NULL,
    area_m2       REAL NOT NULL DEFAULT 0 CHECK (area_m2 >= 0),
    x             REAL NOT NULL DEFAULT 0,
    y             REAL NOT NULL DEFAULT 0,
    w             REAL NOT NULL DEFAULT 3 CHECK (w > 0),
    h             REAL NOT NULL DEFAULT 3 CHECK (h > 0),
    state         TEXT NOT NULL DEFAULT 'free' CHECK (state IN ('free','reserved','assigned')),
    delegation_id INTEGER REFERENCES delegations(id) ON DELETE RESTRICT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (edition_id, code),
    CHECK ((state = 'free') = (delegation_id IS NULL))
);
CREATE INDEX booths_zone ON booths(zone_id);
CREATE INDEX booths_delegation ON booths(delegation_id);

-- Which of the holder's projects are shown at a booth; organisers choose.
CREATE TABLE booth_projects (
    booth_id   INTEGER NOT NULL REFERENCES booths(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (booth_id, project_id)
);
CREATE INDEX booth_projects_project ON booth_projects(project_id);

-- Staff accounts bound to a booth: they scan at its checkpoint and see its
-- leads, nothing else. One booth per account.
CREATE TABLE booth_staff (
    user_id  INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    booth_id INTEGER NOT NULL REFERENCES booths(id) ON DELETE CASCADE
);
CREATE INDEX booth_staff_booth ON booth_staff(booth_id);
