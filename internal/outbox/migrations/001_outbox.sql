-- One message to one recipient over one channel (email, sms), written in
-- the same transaction as the change that causes it. idem_key makes a
-- second enqueue of the same message a no-op; the sender's lease
-- (lease_owner, lease_until) keeps two instances from sending it at once.
-- status: pending, sending, sent, failed, no_channel, unsubscribed,
-- expired (a reminder whose event has passed), cancelled.
CREATE TABLE outbox_messages (
    id          INTEGER PRIMARY KEY,
    idem_key    TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT NOT NULL,
    lang        TEXT NOT NULL,
    template    TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('event', 'reminder', 'test')),
    edition_id  INTEGER,
    event_at    TIMESTAMP,
    status      TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TIMESTAMP NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP,
    last_answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, channel, next_at);
CREATE INDEX outbox_messages_sent ON outbox_messages (recipient, channel, sent_at);

-- Every attempt to hand a message to its provider, and the provider's answer.
-- outcome: sent, retry, failed, interrupted (the instance died mid-send).
CREATE TABLE outbox_attempts (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    outcome     TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    instance    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id);

-- A recipient address that asked for no more messages (an e-mail address or
-- a phone number, normalised).
CREATE TABLE outbox_preferences (
    address      TEXT PRIMARY KEY,
    unsubscribed BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at   TIMESTAMP NOT NULL
);

-- The key that signs unsubscribe links, made on first use.
CREATE TABLE outbox_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL
);
