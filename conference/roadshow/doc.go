// Package roadshow owns the conference programme: rooms, the timed sessions
// held in them (opening ceremony, provincial and special sessions,
// roadshows, pairing blocks), the slots in which selected projects are
// pitched, the released agenda versions the public reads, and the judges'
// scores of each pitch (路演评审).
//
// Sessions live here rather than in package conference because that
// package is already large; other packages (pairing, check-in) refer to
// agenda_sessions(id). The table is not called "sessions" because the
// accounts package already uses that name for sign-in sessions.
//
// Clash checking is the heart of the package: every slot change is checked
// against the room, the session's hours, the project and the presenter.
// Other packages add the presenter's other commitments (pairing meetings)
// through the Commitments interface given to NewStore.
package roadshow

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it comes after conference and auth
// (it refers to editions, projects and users).
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "roadshow", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
