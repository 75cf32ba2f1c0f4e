// Package audit owns the audit trail (the audit_log table): who changed
// what, when and from where, with each changed field before and after.
//
// Domain packages call Record inside the transaction of the change, so a
// row exists if and only if the change committed; they never read the
// table. The actor comes from the request's context (WithActor, set once
// per request by cmd/huizhan's middleware, or by a command for the command
// line). Personal fields are masked in the trail itself (Mask): the trail
// answers "who changed the phone of attendee 42", not what the number is.
package audit

import (
	"embed"
	"io/fs"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema; it refers to no other table.
func Migrations() db.Migrations {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // the folder is embedded above; this cannot fail
	}
	return db.Migrations{Package: "audit", FS: sub}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
