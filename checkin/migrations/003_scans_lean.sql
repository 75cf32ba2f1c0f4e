-- Every scan is a row in scans, written by the one scan writer in groups
-- (see writer.go), and each index is pages that every group rewrites and
-- syncs. scans_attendee cost the most: the attendees of a group are
-- scattered, so it dirtied a page per scan (32 WAL frames for a group of
-- 19 scans with it, 10 without). No query reads scans by attendee alone,
-- and attendees are never deleted (they are reissued), so the foreign key
-- it would serve does not need it.
DROP INDEX scans_attendee;
