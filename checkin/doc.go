// Package checkin owns attendees and check-in: each attendee's signed badge
// code and its QR image, the checkpoints where codes are scanned (gates,
// session doors, booths) and every scan with its verdict.
//
// A badge code is an Ed25519 signature over a small binary payload (edition,
// attendee, category, valid days, nonce, key id), written in uppercase
// base32 so that it fits the QR alphanumeric set and keyboard-wedge scanners
// type it reliably. Keys live in a file outside the database (see Keyring).
//
// Scans are the hot path. A scan is answered only after it is durably
// committed, but commits are grouped: handlers hand their scan to one
// writer goroutine, which commits whatever has queued up in one
// synchronous=FULL transaction on the single write connection. A code seen
// once is remembered (code → attendee), so the signature is checked on the
// first scan of a badge and not on every one after; reissue drops the entry.
//
// Several app instances may share one PostgreSQL database. Their scan
// writers then take turns on a lock of the scans table, and each group is
// a SERIALIZABLE transaction, so two instances never both accept the first
// scan of an attendee (see writer.exclude).
package checkin

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it comes after conference, auth and
// booths, whose editions, delegations, users and booths it refers to.
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "checkin", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// stationWorker is the station's service worker (see stationWorkerJS).
//
//go:embed station_sw.js
var stationWorker []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
