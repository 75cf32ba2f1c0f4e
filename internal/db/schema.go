package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
)

// ScratchSchema makes a new, empty schema on the PostgreSQL server that
// server names, for tests and load runs that must not touch anything else
// there. It returns a URL whose search path starts with that schema, and a
// func that drops it. The extensions the migrations use belong to the
// database, not a schema: they are made once, in public, which the search
// path ends with.
func ScratchSchema(ctx context.Context, server, prefix string) (string, func(), error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", nil, fmt.Errorf("scratch schema: %w", err)
	}
	admin, err := Open(server, Options{Readers: 1})
	if err != nil {
		return "", nil, fmt.Errorf("scratch schema: %w", err)
	}
	defer admin.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := prefix + "_" + hex.EncodeToString(b[:])
	for _, stmt := range []string{`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`,
		`CREATE EXTENSION IF NOT EXISTS citext SCHEMA public`, `CREATE SCHEMA ` + schema} {
		// Parallel runs may race to create an extension: the loser's
		// unique violation means it exists.
		if _, err := admin.W.ExecContext(ctx, stmt); err != nil && !IsUnique(err) {
			return "", nil, fmt.Errorf("scratch schema: %s: %w", stmt, err)
		}
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	drop := func() {
		if admin, err := Open(server, Options{Readers: 1}); err == nil {
			admin.W.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			admin.Close()
		}
	}
	return u.String(), drop, nil
}
