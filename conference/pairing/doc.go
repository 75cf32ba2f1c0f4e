// Package pairing follows supply and demand projects from a suggestion to a
// signed agreement (供需对接): it recommends counterparts with a BM25 text
// index over the projects, keeps the pairings and every change of their
// stage, books their meetings at the tables of a pairing session (and
// schedules a whole session automatically), and streams the hall's figures
// live to a big-screen board over Server-Sent Events.
//
// Projects and sessions belong to other packages (conference and
// conference/roadshow); this package refers to them by ID and foreign key
// and never writes them. It reads the projects; sessions and roadshow
// slots it asks the roadshow package for (Roadshows, wired in
// cmd/huizhan/app.go), and the roadshow package asks it, through
// roadshow.Commitments, when projects and presenters sit at a pairing
// table. A stage moves only through SetStage. The match index learns of
// project changes from a change counter that triggers on the projects table
// keep (match_versions), so it is rebuilt lazily, per edition, after a
// change, without a restart.
package pairing

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it comes after conference, auth and
// roadshow (meetings refer to agenda_sessions).
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded above; cannot fail
	}
	return db.Migrations{Package: "pairing", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
