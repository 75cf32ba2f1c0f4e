package conference

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

var errProjectNotFound = apperr.New(apperr.NotFound, "project.not_found")

// Industries lists the industries in their display order.
func (s *Store) Industries(ctx context.Context) ([]string, error) {
	var names []string
	err := s.db.R.SelectContext(ctx, &names, `SELECT name FROM industries ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("list industries: %w", err)
	}
	return names, nil
}

func (s *Store) industrySet(ctx context.Context, q sqlx.QueryerContext) (map[string]bool, error) {
	var names []string
	if err := sqlx.SelectContext(ctx, q, &names, `SELECT name FROM industries`); err != nil {
		return nil, fmt.Errorf("list industries: %w", err)
	}
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set, nil
}

// AddIndustry adds an industry at the end of the list (organisers add the
// ones the defaults lack).
func (s *Store) AddIndustry(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 20 {
		return apperr.Field("name", "error.required_max", map[string]any{"Max": 20})
	}
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO industries (name, position)
			VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM industries))`, name)
		if db.IsUnique(err) {
			return apperr.New(apperr.Conflict, "project.industry_taken").With(map[string]any{"Name": name})
		}
		if err != nil {
			return fmt.Errorf("add industry %q: %w", name, err)
		}
		return nil
	})
}

// Project returns one project as a may see it: the contact phone masked
// for roles that do not need it.
func (s *Store) Project(ctx context.Context, a *web.Identity, id int64) (Project, error) {
	p, err := getProject(ctx, s.db.R, id)
	if err != nil {
		return Project{}, err
	}
	if err := canRead(a, p); err != nil {
		return Project{}, err
	}
	return forReader(a, p), nil
}

// PublicProject returns a project for the cloud hall: rejected ones are
// not shown.
func (s *Store) PublicProject(ctx context.Context, id int64) (Project, error) {
	p, err := getProject(ctx, s.db.R, id)
	if err == nil && p.Status == StatusRejected {
		err = errProjectNotFound
	}
	return p, err
}

func getProject(ctx context.Context, q sqlx.QueryerContext, id int64) (Project, error) {
	var p Project
	err := sqlx.GetContext(ctx, q, &p, `SELECT * FROM projects WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Project{}, errProjectNotFound
	}
	if err != nil {
		return Project{}, fmt.Errorf("get project %d: %w", id, err)
	}
	return p, nil
}

// Projects lists one page of an edition's projects, newest first. A
// delegation account sees only its own delegation's.
func (s *Store) Projects(ctx context.Context, a *web.Identity, editionID int64, f ProjectFilter, p web.Paging) ([]Project, int, error) {
	if a.Is(web.RoleDelegation) {
		f.DelegationID = a.DelegationID
	}
	if _, err := s.Edition(ctx, editionID); err != nil {
		return nil, 0, err
	}
	ids, idArgs := s.search.IDs(f.Q)
	// On SQLite the count looks the matches up by ID: the column filters
	// go unindexed (the unary +), so the ID list drives the query.
	// PostgreSQL's planner weighs the choices itself.
	plus, idPlus, from := "+", "+p.id", "projects p"
	if ids != "" {
		from = searchCountFrom
	}
	if s.db.Dialect() != db.SQLite {
		plus, idPlus, from = "", "p.id", "projects p"
	}
	where, args := projectWhere(editionID, f, plus, "p.id", ids, idArgs)
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM `+from+` WHERE `+where, args...); err != nil {
		return nil, 0, fmt.Errorf("count projects: %w", err)
	}
	if ids != "" && total > denseMatches {
		// Many matches: walking the edition in list order and testing
		// each ID finds a page sooner than sorting every match.
		where, args = projectWhere(editionID, f, "", idPlus, ids, idArgs)
	}
	var ps []Project
	err := s.db.R.SelectContext(ctx, &ps, `SELECT p.* FROM projects p WHERE `+where+
		` ORDER BY p.major DESC, p.id DESC LIMIT ? OFFSET ?`, append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list projects: %w", err)
	}
	for i := range ps {
		ps[i] = forReader(a, ps[i])
	}
	return ps, total, nil
}

// denseMatches is the number of search matches from which a page is found
// faster by walking the edition's index in list order than by sorting the
// matches.
const denseMatches = 1000

// projectWhere builds the filter: plus prefixes the column conditions and
// idCol is how the search's ID list is tested ("+p.id" keeps it from
// driving the query), both hints for SQLite's planner.
func projectWhere(editionID int64, f ProjectFilter, plus, idCol, ids string, idArgs []any) (string, []any) {
	if ids == "" {
		plus = ""
	}
	conds := []string{plus + "p.edition_id = ?"}
	args := []any{editionID}
	eq := func(col string, v any, set bool) {
		if set {
			conds = append(conds, plus+col+" = ?")
			args = append(args, v)
		}
	}
	eq("p.kind", f.Kind, f.Kind != "")
	eq("p.industry", f.Industry, f.Industry != "")
	eq("p.status", f.Status, f.Status != "")
	eq("p.delegation_id", f.DelegationID, f.DelegationID != 0)
	if f.Public {
		conds = append(conds, "p.status <> 'rejected'")
	}
	if f.InIDs != nil {
		conds = append(conds, inIDs(plus+"p.id", f.InIDs, &args))
	}
	if ids != "" {
		conds = append(conds, idCol+" IN ("+ids+")")
		args = append(args, idArgs...)
	}
	return strings.Join(conds, " AND "), args
}

// checkProject validates in against the edition: known industry, and a
// delegation of this edition.
func (s *Store) checkProject(ctx context.Context, tx *sqlx.Tx, editionID int64, in *ProjectInput) error {
	in.Normalize()
	inds, err := s.industrySet(ctx, tx)
	if err != nil {
		return err
	}
	d := in.Problems(inds)
	if in.DelegationID > 0 {
		var n int
		err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM delegations WHERE id = ? AND edition_id = ?`, in.DelegationID, editionID)
		if err != nil {
			return fmt.Errorf("check delegation: %w", err)
		}
		if n == 0 {
			d = append(d, apperr.Detail{Field: "delegation_id", Key: "project.delegation_unknown"})
		}
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// CreateProject registers a project with status submitted.
func (s *Store) CreateProject(ctx context.Context, a *web.Identity, editionID int64, in ProjectInput) (Project, error) {
	if err := ownDelegation(a, &in); err != nil {
		return Project{}, err
	}
	if _, err := s.Edition(ctx, editionID); err != nil {
		return Project{}, err
	}
	var p Project
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkProject(ctx, tx, editionID, &in); err != nil {
			return err
		}
		var err error
		p, err = s.insertProject(ctx, tx, editionID, in, a)
		return err
	})
	if err != nil {
		return Project{}, apperr.Wrap(err, "create project")
	}
	return p, nil
}

func (s *Store) insertProject(ctx context.Context, tx *sqlx.Tx, editionID int64, in ProjectInput, a *web.Identity) (Project, error) {
	var by *int64
	if a != nil {
		by = &a.UserID
	}
	now := s.now().UTC()
	var p Project
	err := tx.GetContext(ctx, &p, `INSERT INTO projects (edition_id, delegation_id, kind, title, summary,
		industry, organisation, keywords, contact_name, contact_phone, major, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?) RETURNING *`,
		editionID, in.DelegationID, in.Kind, in.Title, in.Summary, in.Industry, in.Organisation,
		Keywords(in.Keywords), in.ContactName, in.ContactPhone, in.Major, by, now, now)
	if err != nil {
		return Project{}, fmt.Errorf("insert project %q: %w", in.Title, err)
	}
	return p, nil
}

// UpdateProject replaces a project's fields. The delegation of a project
// is changed by organisers only.
func (s *Store) UpdateProject(ctx context.Context, a *web.Identity, id int64, in ProjectInput) (Project, error) {
	var p Project
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		old, err := getProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := canEdit(a, old); err != nil {
			return err
		}
		if !a.Is(web.RoleOrganiser) && in.DelegationID != old.DelegationID {
			return errNotYours
		}
		if err := s.checkProject(ctx, tx, old.EditionID, &in); err != nil {
			return err
		}
		return tx.GetContext(ctx, &p, `UPDATE projects SET delegation_id = ?, kind = ?, title = ?, summary = ?,
			industry = ?, organisation = ?, keywords = ?, contact_name = ?, contact_phone = ?, major = ?,
			updated_at = ? WHERE id = ? RETURNING *`,
			in.DelegationID, in.Kind, in.Title, in.Summary, in.Industry, in.Organisation, Keywords(in.Keywords),
			in.ContactName, in.ContactPhone, in.Major, s.now().UTC(), id)
	})
	if err != nil {
		return Project{}, apperr.Wrap(err, fmt.Sprintf("update project %d", id))
	}
	return p, nil
}

// inIDs is the condition col IN (ids...), appending the IDs to args; an
// empty list matches nothing.
func inIDs(col string, ids []int64, args *[]any) string {
	if len(ids) == 0 {
		return "0 = 1"
	}
	for _, id := range ids {
		*args = append(*args, id)
	}
	return col + " IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
}
