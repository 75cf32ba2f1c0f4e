// Package auth owns accounts and sign-in: the users and sessions tables,
// password hashing (bcrypt), cookie sessions for pages and bearer tokens for
// the API, the login rate limit, and the organiser's account pages.
//
// It sets a web.Identity on each request; domain packages only ever look at
// that identity and never at this package.
package auth

import (
	"embed"

	"huizhan/internal/db"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations is this package's schema. It refers to delegations, so it is
// applied after the conference package's.
func Migrations() db.Migrations {
	return db.Migrations{Package: "auth", FS: mustSub(migrationFS, "migrations")}
}

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
