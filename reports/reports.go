package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"time"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/i18n"
)

// Names lists the workbooks in the order pages show them.
var Names = []string{"summary", "signed", "pairings", "projects", "roadshows", "booths", "checkins"}

// builders write the sheets of each workbook after the cover.
var builders = map[string]func(ctx context.Context, w *job) error{
	"summary":   writeSummary,
	"signed":    writeSigned,
	"pairings":  writePairings,
	"projects":  writeProjects,
	"roadshows": writeRoadshows,
	"booths":    writeBooths,
	"checkins":  writeCheckins,
}

// Request asks for one workbook.
type Request struct {
	Name         string // one of Names
	EditionID    int64
	DelegationID int64  // 0 for every delegation; else only that delegation's rows
	Lang         string // "zh-CN" or "en"
	By           string // who asked, shown on the cover
	// MaskPhones shows phone numbers as 138****0001: for leaders and every
	// role but organisers and a delegation reading its own rows.
	MaskPhones bool
}

// Reports builds workbooks from the database, reading only.
type Reports struct {
	db      *db.DB
	catalog *i18n.Catalog
	now     func() time.Time
}

// New returns the report builder over d, with headers from catalog.
func New(d *db.DB, catalog *i18n.Catalog) *Reports {
	return &Reports{db: d, catalog: catalog, now: time.Now}
}

// Edition is what the cover and the dashboard show of an edition.
type Edition struct {
	ID       int64     `db:"id" json:"id"`
	Number   int       `db:"number" json:"number"`
	Name     string    `db:"name" json:"name"`
	Year     int       `db:"year" json:"year"`
	StartsOn time.Time `db:"starts_on" json:"starts_on"`
	EndsOn   time.Time `db:"ends_on" json:"ends_on"`
	City     string    `db:"city" json:"city"`
}

// edition reads one edition; a missing one is NotFound.
func (r *Reports) edition(ctx context.Context, id int64) (Edition, error) {
	var e Edition
	err := r.db.R.GetContext(ctx, &e, `SELECT id, number, name, year, starts_on, ends_on, city FROM editions WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Edition{}, apperr.New(apperr.NotFound, "edition.not_found")
	}
	if err != nil {
		return Edition{}, fmt.Errorf("read edition %d: %w", id, err)
	}
	return e, nil
}

// delegationName names a delegation of the edition; a delegation of
// another edition is NotFound, so a filter cannot reach across editions.
func (r *Reports) delegationName(ctx context.Context, editionID, id int64) (string, error) {
	var name string
	err := r.db.R.GetContext(ctx, &name, `SELECT name FROM delegations WHERE id = ? AND edition_id = ?`, id, editionID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "delegation.not_found")
	}
	if err != nil {
		return "", fmt.Errorf("read delegation %d: %w", id, err)
	}
	return name, nil
}

// job is one workbook being built: the request, the edition, the book.
type job struct {
	r          *Reports
	req        Request
	ed         Edition
	delegation string // name of the filter's delegation, "" for all
	b          *book
	at         time.Time
}

// Valid reports whether name is a workbook.
func Valid(name string) bool { return slices.Contains(Names, name) }

// prepare checks a request and loads what the cover needs.
func (r *Reports) prepare(ctx context.Context, req Request) (*job, error) {
	if !Valid(req.Name) {
		return nil, apperr.New(apperr.NotFound, "reports.unknown")
	}
	ed, err := r.edition(ctx, req.EditionID)
	if err != nil {
		return nil, err
	}
	j := &job{r: r, req: req, ed: ed, at: r.now()}
	if req.DelegationID != 0 {
		if j.delegation, err = r.delegationName(ctx, ed.ID, req.DelegationID); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// Workbook is a built workbook waiting to be sent.
type Workbook struct{ b *book }

// Send sends the workbook to w and releases its temporary files.
func (wb *Workbook) Send(w io.Writer) error { return wb.b.write(w) }

// Close releases a workbook that will not be sent.
func (wb *Workbook) Close() { wb.b.f.Close() }

// Build makes the workbook req asks for. Nothing is sent yet, so a handler
// can still answer a refused request (unknown name, edition or delegation)
// with an error.
func (r *Reports) Build(ctx context.Context, req Request) (*Workbook, error) {
	j, err := r.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	if j.b, err = newBook(r.catalog.For(req.Lang)); err != nil {
		return nil, err
	}
	if err := j.cover(); err != nil {
		j.b.f.Close()
		return nil, fmt.Errorf("report %s cover: %w", req.Name, err)
	}
	if err := builders[req.Name](ctx, j); err != nil {
		j.b.f.Close()
		return nil, fmt.Errorf("report %s of edition %d: %w", req.Name, req.EditionID, err)
	}
	return &Workbook{b: j.b}, nil
}

// Write builds the workbook and writes it to w (the CLI's way).
func (r *Reports) Write(ctx context.Context, w io.Writer, req Request) error {
	wb, err := r.Build(ctx, req)
	if err != nil {
		return err
	}
	return wb.Send(w)
}

// Check validates a request without building it, so a handler can answer
// 404 before it starts sending a file.
func (r *Reports) Check(ctx context.Context, req Request) error {
	_, err := r.prepare(ctx, req)
	return err
}

// Filename is the download name of a workbook: the edition, the report's
// title and, for one delegation, its name, e.g.
// 第三届天府科技云服务大会-签约项目.xlsx.
func (r *Reports) Filename(ctx context.Context, req Request) (string, error) {
	j, err := r.prepare(ctx, req)
	if err != nil {
		return "", err
	}
	l := r.catalog.For(req.Lang)
	name := j.ed.Name + "-" + l.Label("reports.name", req.Name)
	if j.delegation != "" {
		name += "-" + j.delegation
	}
	return name + ".xlsx", nil
}

// ContentDisposition is the header that makes a browser save the file
// under its Chinese name: filename*=UTF-8” for every current browser and
// a plain ASCII filename for the rest.
func ContentDisposition(name, ascii string) string {
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}
