// Package outbox tells people things: e-mail over SMTP and SMS through a
// gateway, each message written to the outbox table in the same database
// transaction as the change that causes it, so it goes out if and only if
// that change committed.
//
// A Sender delivers what is due. It claims messages with a lease (on
// PostgreSQL with SELECT ... FOR UPDATE SKIP LOCKED, so several instances
// share the work; on SQLite the single writer serialises the claims),
// records every attempt and the provider's answer, retries temporary
// failures with exponential backoff and marks a message failed after the
// last attempt. Each message has an idempotency key (a second Enqueue of
// the same key is a no-op) that also becomes its e-mail Message-ID and the
// SMS gateway's out-id.
//
// Exactly once, and its one limit: a message is marked sent in the same
// worker before the worker starts the next, so a restart or a second
// instance never sends a message again that was recorded as sent. A
// process killed between the provider accepting a message and that record
// cannot know whether it was accepted; after its lease runs out the message
// is sent again, with the same Message-ID (mail clients drop the copy), and
// the attempt is recorded as "interrupted".
//
// Domain packages call Enqueue through a small interface of their own,
// wired in cmd/huizhan; this package imports none of them.
package outbox

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it refers to no other package's tables.
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "outbox", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
