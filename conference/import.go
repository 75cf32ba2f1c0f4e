package conference

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

// KindLabels are the Chinese names of the kinds, as the import template
// and its drop-down list write them.
var KindLabels = map[string]string{
	KindAchievement: "科技成果", KindDemand: "科技需求", KindCapability: "科技所能",
	KindHighTech: "高新技术", KindResearch: "科研项目", KindFinance: "科创金融产品",
}

// importColumns are the template's columns; the English names are
// accepted as headers too. Key is the ProjectInput JSON field, so input
// problems map back onto columns.
var importColumns = []sheet.Column{
	{Key: "kind", Headers: []string{"项目类别", "类别", "kind"}, Required: true},
	{Key: "title", Headers: []string{"项目名称", "名称", "title"}, Required: true},
	{Key: "industry", Headers: []string{"产业领域", "领域", "industry"}, Required: true},
	{Key: "summary", Headers: []string{"项目简介", "简介", "summary"}},
	{Key: "organisation", Headers: []string{"所属单位", "单位", "organisation", "organization"}},
	{Key: "keywords", Headers: []string{"关键词", "keywords"}},
	{Key: "contact_name", Headers: []string{"联系人", "contact_name", "contact"}},
	{Key: "contact_phone", Headers: []string{"联系电话", "电话", "contact_phone", "phone"}},
	{Key: "major", Headers: []string{"重大发布", "major"}},
}

// maxImportErrors caps the row errors one answer lists; a file with more
// is usually the wrong file, and the first ones say so.
const maxImportErrors = 200

// ImportOptions tune ImportProjects.
type ImportOptions struct {
	Limits sheet.Limits
	// Progress, when set, is called every few hundred rows with the rows
	// read and saved so far (saving starts once every row has been read).
	Progress func(read, saved int)
}

// rowParser turns sheet rows into project inputs for one delegation.
type rowParser struct {
	delegationID int64
	industries   map[string]bool
	industryOpts map[string]string
	industryList []string
	kindOpts     map[string]string
	kindList     []string
}

func newRowParser(delegationID int64, industries []string) *rowParser {
	p := &rowParser{delegationID: delegationID, industries: map[string]bool{},
		industryOpts: map[string]string{}, kindOpts: map[string]string{}}
	for _, n := range industries {
		p.industries[n], p.industryOpts[n] = true, n
	}
	p.industryList = industries
	for _, k := range Kinds {
		p.kindOpts[KindLabels[k]] = k
		p.kindList = append(p.kindList, KindLabels[k])
	}
	return p
}

// parse reads one row; its problems are recorded on the row.
func (rp *rowParser) parse(r *sheet.Row) ProjectInput {
	in := ProjectInput{
		DelegationID: rp.delegationID,
		Kind:         r.Choice("kind", rp.kindOpts, rp.kindList),
		Title:        r.Required("title"),
		Industry:     r.Choice("industry", rp.industryOpts, rp.industryList),
		Summary:      r.Text("summary"),
		Organisation: r.Text("organisation"),
		Keywords:     r.List("keywords"),
		ContactName:  r.Text("contact_name"),
		ContactPhone: r.Text("contact_phone"),
		Major:        r.Bool("major"),
	}
	r.Required("kind")
	r.Required("industry")
	in.Normalize()
	if !r.OK() {
		return in // the cell errors say it better than the field checks
	}
	for _, d := range in.Problems(rp.industries) {
		r.Fail(d.Field, d.Key, d.Args)
	}
	return in
}

// dupKey is what makes two projects of a delegation the same: kind and
// title, ignoring case and spaces.
func dupKey(kind, title string) string {
	return kind + "\x00" + strings.ToLower(strings.Join(strings.Fields(title), ""))
}

// ImportProjects reads projects for one delegation from an .xlsx or CSV
// file and saves all of them in one transaction, or none: any bad row,
// or a project the delegation already has, fails the whole import with
// the rows named.
func (s *Store) ImportProjects(ctx context.Context, a *web.Identity, editionID, delegationID int64,
	r io.Reader, name string, opt ImportOptions) (int, error) {
	probe := ProjectInput{DelegationID: delegationID}
	if err := ownDelegation(a, &probe); err != nil {
		return 0, err
	}
	if err := s.checkImportTarget(ctx, editionID, probe.DelegationID); err != nil {
		return 0, err
	}
	inputs, err := s.readImport(ctx, editionID, probe.DelegationID, r, name, opt)
	if err != nil {
		return 0, err
	}
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		return s.search.Bulk(ctx, tx, func() error { return s.insertImport(ctx, tx, a, editionID, inputs, opt.Progress) })
	})
	if err != nil {
		return 0, apperr.Wrap(err, "import projects")
	}
	return len(inputs), nil
}

func (s *Store) checkImportTarget(ctx context.Context, editionID, delegationID int64) error {
	if _, err := s.Edition(ctx, editionID); err != nil {
		return err
	}
	if delegationID == 0 {
		return apperr.Field("delegation_id", "project.delegation_required", nil)
	}
	d, err := s.Delegation(ctx, delegationID)
	if err != nil || d.EditionID != editionID {
		return apperr.Field("delegation_id", "project.delegation_unknown", nil)
	}
	return nil
}

func (s *Store) readImport(ctx context.Context, editionID, delegationID int64, r io.Reader, name string, opt ImportOptions) ([]ProjectInput, error) {
	industries, err := s.Industries(ctx)
	if err != nil {
		return nil, err
	}
	seen, err := s.existingKeys(ctx, editionID, delegationID)
	if err != nil {
		return nil, err
	}
	sh, err := sheet.Open(r, name, importColumns, opt.Limits)
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	rp := newRowParser(delegationID, industries)
	inFile := map[string]int{}
	var inputs []ProjectInput
	var bad []apperr.Detail
	nbad := 0
	for sh.Next() {
		row := sh.Row()
		in := rp.parse(row)
		if row.OK() {
			k := dupKey(in.Kind, in.Title)
			if first, dup := inFile[k]; dup {
				row.Fail("title", "project.duplicate_in_file", map[string]any{"Row": first})
			} else if seen[k] {
				row.Fail("title", "project.duplicate_existing", nil)
			} else {
				inFile[k] = row.Num
			}
		}
		if errs := row.Errors(); len(errs) > 0 {
			nbad += len(errs)
			bad = append(bad, errs[:min(len(errs), maxImportErrors-len(bad))]...)
		}
		inputs = append(inputs, in)
		if opt.Progress != nil && sh.Rows()%500 == 0 {
			opt.Progress(sh.Rows(), 0)
		}
	}
	if err := sh.Err(); err != nil {
		return nil, err
	}
	if nbad > 0 {
		return nil, apperr.New(apperr.Invalid, "sheet.rows_invalid").With(map[string]any{"Count": nbad}).WithDetails(bad...)
	}
	if len(inputs) == 0 {
		return nil, apperr.New(apperr.Invalid, "project.import_empty")
	}
	return inputs, nil
}

// existingKeys are the duplicate keys of the delegation's projects.
func (s *Store) existingKeys(ctx context.Context, editionID, delegationID int64) (map[string]bool, error) {
	var rows []struct {
		Kind  string `db:"kind"`
		Title string `db:"title"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT kind, title FROM projects WHERE edition_id = ? AND delegation_id = ?`,
		editionID, delegationID)
	if err != nil {
		return nil, fmt.Errorf("existing projects: %w", err)
	}
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		seen[dupKey(r.Kind, r.Title)] = true
	}
	return seen, nil
}

func (s *Store) insertImport(ctx context.Context, tx *sqlx.Tx, a *web.Identity, editionID int64, inputs []ProjectInput, progress func(int, int)) error {
	stmt, err := tx.PreparexContext(ctx, `INSERT INTO projects (edition_id, delegation_id, kind, title, summary,
		industry, organisation, keywords, contact_name, contact_phone, major, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare import: %w", err)
	}
	defer stmt.Close()
	var by *int64
	if a != nil && a.UserID != 0 {
		by = &a.UserID
	}
	now := s.now().UTC()
	for i, in := range inputs {
		_, err := stmt.ExecContext(ctx, editionID, in.DelegationID, in.Kind, in.Title, in.Summary, in.Industry,
			in.Organisation, Keywords(in.Keywords), in.ContactName, in.ContactPhone, in.Major, by, now, now)
		if err != nil {
			return fmt.Errorf("import project %q: %w", in.Title, err)
		}
		if progress != nil && ((i+1)%500 == 0 || i+1 == len(inputs)) {
			progress(len(inputs), i+1)
		}
	}
	return nil
}
