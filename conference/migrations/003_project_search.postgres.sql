-- Full-text search over projects for the cloud hall (云展厅) on PostgreSQL:
-- a pg_trgm GIN index over the same text the SQLite FTS5 trigram index
-- holds, answering ILIKE '%term%' for terms of any length (pg_trgm pads
-- words, so one and two characters use it too). The index follows the
-- rows by itself: no triggers.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX projects_search_trgm ON projects USING gin (
    (title || ' ' || summary || ' ' || organisation || ' ' || keywords) gin_trgm_ops
);

-- Lists show major releases first, then the newest: this index serves that
-- order without sorting an edition's projects, and lets a page of search
-- results with many matches stop after its 20 rows. status rides along so
-- the cloud hall's "not rejected" needs no row.
CREATE INDEX projects_edition_major ON projects(edition_id, major, id, status);
-- Duplicate checks on import.
CREATE INDEX projects_delegation_title ON projects(delegation_id, title);
