-- Accounts and their sign-in sessions. delegation_id ties a delegation
-- account to the one delegation whose projects and booth it manages.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE, -- Admin and admin are one account
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('organiser','delegation','staff','coordinator','leader')),
    delegation_id INTEGER REFERENCES delegations(id) ON DELETE SET NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- Only the SHA-256 of a session token is stored: a copy of the database
-- does not let anyone sign in.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('cookie','bearer')),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
