package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"huizhan/internal/db"
	"huizhan/internal/i18n"
	"huizhan/reports"
	"huizhan/templates"
)

// cmdReport writes one workbook to a file:
//
//	huizhan report NAME -edition ID -o FILE.xlsx [-db DB] [-lang en] [-delegation ID]
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report NAME -edition ID -o FILE.xlsx", stderr,
		"Write a report workbook. NAME is one of: "+strings.Join(reports.Names, ", ")+".")
	dbPath := dbFlag(fs)
	edition := fs.Int64("edition", 0, "edition ID")
	out := fs.String("o", "", "file to write (.xlsx)")
	lang := fs.String("lang", "zh-CN", "language of the headers: zh-CN or en")
	delegation := fs.Int64("delegation", 0, "only this delegation's rows (ID); 0 for all")
	// The name may come before the flags or after them.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if name == "" {
		name = fs.Arg(0)
	}
	switch {
	case !reports.Valid(name):
		return fmt.Errorf("report: NAME must be one of %s", strings.Join(reports.Names, ", "))
	case *edition <= 0:
		return errors.New("report: -edition ID is required")
	case *out == "":
		return errors.New("report: -o FILE.xlsx is required")
	case *lang != "zh-CN" && *lang != "en":
		return errors.New("report: -lang must be zh-CN or en")
	}
	// openDB would create a missing SQLite file; a report from an empty
	// new database is a mistyped path.
	if path := strings.TrimPrefix(*dbPath, "sqlite:"); !db.IsPostgresURL(path) {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("report: no database at %s", path)
		}
	}
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	catalog, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		return err
	}
	req := reports.Request{Name: name, EditionID: *edition, DelegationID: *delegation, Lang: *lang, By: "huizhan report"}
	if err := writeReportFile(ctx, reports.New(d, catalog), req, *out); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "%s written to %s\n", name, *out)
	return nil
}

// writeReportFile writes into a temporary file beside out and renames it,
// so a failed run never leaves half a workbook under the chosen name.
func writeReportFile(ctx context.Context, r *reports.Reports, req reports.Request, out string) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".report-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := r.Write(ctx, tmp, req); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp made the file private (0600), and so it stays: reports
	// name people and their organisations.
	return os.Rename(tmp.Name(), out)
}
