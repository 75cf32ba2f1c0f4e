// Command huizhan runs the Huizhan conference system: the web server and the
// tasks organisers script (demo data, accounts, backups).
//
//	huizhan serve  [-addr :8080] [-db ./huizhan.db | -db postgres://...] [-demo] ...
//	huizhan demo   -db DB
//	huizhan user add -db DB -username NAME -role ROLE [-delegation ID]
//	huizhan backup -db PATH -o FILE
//	huizhan keys rotate -keys FILE
//	huizhan import projects -db DB -edition ID -delegation ID FILE
//	huizhan report NAME -edition ID -o FILE.xlsx [-db DB]
//	huizhan migrate-data -from sqlite:PATH -to postgres://...
//	huizhan notify test -to ADDRESS [-smtp URL -mail-from ADDRESS | -sms-gateway URL]
//
// DB is a SQLite file or a postgres:// URL. Every flag has a HUIZHAN_*
// environment fallback (HUIZHAN_ADDR, HUIZHAN_DB, ...).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `huizhan — conference and expo management (会展管理系统)

Usage:
  huizhan serve    run the web server
  huizhan demo     load the demo data (three Tianfu conferences) into a database
  huizhan user add create an account; the password is read from standard input
  huizhan backup   write a consistent copy of a live SQLite database
  huizhan keys rotate  start signing badges with a new key (old badges stay valid)
  huizhan import projects  import projects from an .xlsx or CSV file
  huizhan report   write an Excel report (summary, signed, pairings, projects, ...)
  huizhan migrate-data  copy an event from a SQLite file into an empty PostgreSQL database
  huizhan notify test  send a test e-mail or SMS through the configured channel
  huizhan help     show this text

The database (-db) is a SQLite file or a postgres:// URL.
Run "huizhan COMMAND -h" for the flags of a command. Every flag can also be
set by an environment variable: -db by HUIZHAN_DB, -addr by HUIZHAN_ADDR, etc.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h printed the flags; asking for help is not a failure.
	case err != nil:
		fmt.Fprintln(os.Stderr, "huizhan:", err)
		os.Exit(1)
	}
}

// run dispatches a command line; main and the tests both call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, log)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "keys":
		return cmdKeys(ctx, rest, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "migrate-data":
		return cmdMigrateData(ctx, rest, stdout, stderr)
	case "notify":
		return cmdNotify(ctx, rest, stdout, stderr, log)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// env returns the value of HUIZHAN_<name>, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv("HUIZHAN_" + name); ok {
		return v
	}
	return def
}

// dbFlag adds the -db flag every command that opens the database shares.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("DB", "./huizhan.db"), "SQLite file or postgres:// URL (HUIZHAN_DB)")
}

func newFlags(name string, stderr io.Writer, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: huizhan %s\n\n%s\n\nFlags:\n", name, help)
		fs.PrintDefaults()
	}
	return fs
}
