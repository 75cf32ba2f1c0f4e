// Package conference owns the conference itself: editions (one a year),
// the delegations that come to each, and later their projects and
// sessions. Other packages refer to its rows by ID and foreign key.
//
// Copying an edition is shared work: this package copies what it owns and
// then asks each registered Copier (booths, check-in, ...) to copy theirs
// inside the same transaction, so a copy is whole or not at all.
package conference

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it comes first, since every other
// package refers to editions and delegations.
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "conference", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
