// Package booths owns the exhibition floor: zones (展区) per edition, the
// booths in them with their place on the floor plan, who holds each booth
// (free → reserved for a delegation → assigned), which of the delegation's
// projects are shown there, and the staff accounts bound to a booth.
//
// Assignment races are settled in the database, not in Go: the write is a
// conditional UPDATE inside the single write transaction, so of two
// organisers assigning the same booth exactly one changes the row and the
// other is told who holds it.
package booths

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it comes after conference and auth,
// whose editions, delegations, projects and users it refers to.
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "booths", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
