// Package db opens the embedded SQLite store and applies the migrations that
// each domain package embeds. It knows nothing about the domain.
//
// The store is split in two handles: W, a single write connection, so that
// SQLite never sees two writers from this process, and R, a pool of
// read-only connections. A read that later writes is a bug; R refuses
// writes outright (query_only) so such a bug shows up in tests.
package db
