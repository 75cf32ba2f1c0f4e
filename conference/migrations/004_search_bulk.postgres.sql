-- PostgreSQL's trigram index follows bulk inserts as they go (see
-- 003_project_search.postgres.sql): nothing to defer.
SELECT 1;
