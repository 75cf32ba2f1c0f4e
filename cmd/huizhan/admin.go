package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "Usage: huizhan user add -db DB -username NAME -role ROLE [-delegation ID] < password")
		return errors.New("user: the only subcommand is add")
	}
	fs := newFlags("user add", stderr,
		"Create an account. The password is the first line of standard input.\nRoles: "+strings.Join(web.Roles, ", "))
	dbPath := dbFlag(fs)
	username := fs.String("username", "", "account name")
	role := fs.String("role", "", "one of "+strings.Join(web.Roles, ", "))
	delegation := fs.Int64("delegation", 0, "delegation ID, for role delegation")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !web.ValidRole(*role) {
		return fmt.Errorf("user add: unknown role %q; use one of %s", *role, strings.Join(web.Roles, ", "))
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	in := auth.NewUser{Username: *username, Password: password, Role: *role}
	if *delegation != 0 {
		in.DelegationID = delegation
	}
	u, err := auth.NewStore(d, auth.Options{}).CreateUser(ctx, in)
	if err != nil {
		return fmt.Errorf("user add: %s", explain(err))
	}
	fmt.Fprintf(stdout, "created account %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
	return nil
}

// explain renders an error for the terminal in English, with its details.
func explain(err error) string {
	site, err2 := newSite(slog.New(slog.DiscardHandler), appConfig{})
	if err2 != nil {
		return err.Error()
	}
	return site.ExplainText("en", err)
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup -db PATH -o FILE", stderr,
		"Write a consistent copy of the database, safe while the server runs.")
	dbPath := dbFlag(fs)
	out := fs.String("o", "", "file to write; must not exist")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if db.IsPostgresURL(*dbPath) {
		// VACUUM INTO is SQLite's; PostgreSQL has its own consistent dump.
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump -Fc (see docs/deploy.md)")
	}
	if *out == "" {
		return errors.New("backup: -o FILE is required")
	}
	if _, err := os.Stat(strings.TrimPrefix(*dbPath, "sqlite:")); err != nil {
		return fmt.Errorf("backup: no database at %s", *dbPath)
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", *out)
	}
	d, err := db.Open(*dbPath, db.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *out)
	return nil
}
