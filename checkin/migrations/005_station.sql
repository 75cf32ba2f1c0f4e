-- The scanning station on the day.
--
-- A checkpoint in rehearsal (演练) accepts badges on any day, whatever its
-- opening window, and marks its scans: they count in no stats, reports or
-- dashboard. A gate's direction says whether a scan there lets someone in
-- or out, for the count of people inside.
ALTER TABLE checkpoints ADD COLUMN rehearsal BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE checkpoints ADD COLUMN direction TEXT NOT NULL DEFAULT 'in' CHECK (direction IN ('in','out'));

-- rehearsal: made at a checkpoint in rehearsal. late: the device's time
-- was further from the server's than allowed, so scanned_at is the
-- server's and device_at keeps what the device said.
ALTER TABLE scans ADD COLUMN rehearsal BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE scans ADD COLUMN late BOOLEAN NOT NULL DEFAULT FALSE;

-- A flood of forged codes from one account and address is not stored scan
-- by scan: beyond the first few, each stretch of them is one row here.
CREATE TABLE forged_floods (
    id            INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    address       TEXT NOT NULL,
    scans         INTEGER NOT NULL,
    first_at      TIMESTAMP NOT NULL,
    last_at       TIMESTAMP NOT NULL
);
CREATE INDEX forged_floods_checkpoint ON forged_floods(checkpoint_id, first_at);
