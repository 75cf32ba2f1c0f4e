package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

// cliImportLimits are looser than the web's: the command line is run by an
// organiser on a file they chose, and may load a whole platform's export.
var cliImportLimits = sheet.Limits{MaxBytes: 200 << 20, MaxUnzip: 2 << 30, MaxRows: 500000}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "projects" {
		fmt.Fprintln(stderr, "Usage: huizhan import projects -db DB -edition ID -delegation ID FILE")
		return errors.New("import: the only subcommand is projects")
	}
	fs := newFlags("import projects -db DB -edition ID -delegation ID FILE", stderr,
		"Import projects from an .xlsx workbook (the import template) or a CSV file in UTF-8 or GBK.\n"+
			"All or nothing: any bad row is listed and nothing is imported.")
	dbPath := dbFlag(fs)
	edition := fs.Int64("edition", 0, "edition ID")
	delegation := fs.Int64("delegation", 0, "delegation ID (of that edition)")
	lang := fs.String("lang", env("LANG", "zh-CN"), "language of the messages: zh-CN or en (HUIZHAN_LANG)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || *edition <= 0 || *delegation <= 0 {
		fs.Usage()
		return errors.New("import projects: -edition, -delegation and one FILE are required")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("import projects: %w", err)
	}
	defer f.Close()
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	bar := &progressBar{w: stderr}
	cli := &web.Identity{Username: "cli", Role: web.RoleOrganiser}
	n, err := conference.NewStore(d).ImportProjects(ctx, cli, *edition, *delegation, f, filepath.Base(f.Name()),
		conference.ImportOptions{Limits: cliImportLimits, Progress: bar.update})
	bar.done()
	if err != nil {
		return fmt.Errorf("import projects: %s", explainRows(*lang, err))
	}
	fmt.Fprintf(stdout, "imported %d projects\n", n)
	return nil
}

// explainRows renders an error for the terminal, one row error a line.
func explainRows(lang string, err error) string {
	site, err2 := newSite(slog.New(slog.DiscardHandler), appConfig{})
	ae, ok := apperr.As(err)
	if err2 != nil || !ok || len(ae.Details) == 0 || ae.Details[0].Row == 0 {
		if err2 != nil {
			return err.Error()
		}
		return site.ExplainText(lang, err)
	}
	l := site.Catalog.For(lang)
	var b strings.Builder
	b.WriteString(l.T(ae.Key, ae.Args))
	for _, d := range ae.Details {
		fmt.Fprintf(&b, "\n  row %d, %s: %s", d.Row, d.Column, l.T(d.Key, d.Args))
	}
	return b.String()
}

// progressBar draws the import's progress on one line of standard error:
// a count while rows are read (the total is not known before the end of
// the file), then a bar while they are saved. Small files finish before
// the first update and draw nothing.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (p *progressBar) update(read, saved int) {
	p.drawn = true
	if saved == 0 {
		fmt.Fprintf(p.w, "\rreading… %d rows", read)
		return
	}
	const width = 30
	filled := width * saved / max(read, 1)
	fmt.Fprintf(p.w, "\rsaving  [%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
		100*saved/max(read, 1), saved, read)
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
