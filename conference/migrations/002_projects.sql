-- Industries (产业领域) projects are filed under. The defaults come from the
-- conference's leading industries; organisers add others.
CREATE TABLE industries (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO industries (name, position) VALUES
    ('电子信息', 1), ('先进材料', 2), ('装备制造', 3), ('食品饮料', 4),
    ('双碳与新能源', 5), ('农业种业', 6), ('生命健康', 7);

-- An edition may cap how many projects each delegation gets selected for
-- the stage (遴选); NULL means no cap.
ALTER TABLE editions ADD COLUMN selected_quota INTEGER CHECK (selected_quota IS NULL OR selected_quota >= 0);

-- A project (科创项目) a delegation brings to an edition. kind says which
-- side it is on: demand, or one of the supply kinds.
CREATE TABLE projects (
    id            INTEGER PRIMARY KEY,
    edition_id    INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    delegation_id INTEGER NOT NULL REFERENCES delegations(id) ON DELETE RESTRICT,
    kind          TEXT NOT NULL CHECK (kind IN ('achievement','demand','capability','hightech','research','finance')),
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL REFERENCES industries(name) ON UPDATE CASCADE,
    organisation  TEXT NOT NULL DEFAULT '',
    keywords      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    major         BOOLEAN NOT NULL DEFAULT FALSE, -- 重大发布 at the opening ceremony
    status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','reviewed','selected','rejected')),
    status_note   TEXT NOT NULL DEFAULT '',
    created_by    INTEGER, -- users.id; no foreign key: accounts are migrated after this package
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX projects_edition_kind ON projects(edition_id, kind);
CREATE INDEX projects_delegation ON projects(delegation_id, status);
CREATE INDEX projects_edition_industry ON projects(edition_id, industry);

-- Every status change, with who made it and why.
CREATE TABLE project_status_changes (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    user_id     INTEGER, -- users.id (see projects.created_by)
    username    TEXT NOT NULL DEFAULT '', -- kept so the history reads right after an account is gone
    changed_at  TIMESTAMP NOT NULL
);
CREATE INDEX project_status_changes_project ON project_status_changes(project_id, changed_at);
