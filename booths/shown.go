package booths

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// ShownProject is a project shown at a booth (or one that could be).
type ShownProject struct {
	ID       int64  `db:"id" json:"id"`
	Title    string `db:"title" json:"title"`
	Kind     string `db:"kind" json:"kind"`
	Industry string `db:"industry" json:"industry"`
	Status   string `db:"status" json:"status"` // the project's review status
}

// StaffMember is a staff account bound to a booth.
type StaffMember struct {
	UserID   int64  `db:"user_id" json:"user_id"`
	Username string `db:"username" json:"username"`
}

// Detail is a booth with what is shown there and who staffs it.
type Detail struct {
	Booth
	Projects []ShownProject `json:"projects"`
	Staff    []StaffMember  `json:"staff"`
}

// Detail returns a booth with its projects and staff.
func (s *Store) Detail(ctx context.Context, id int64) (Detail, error) {
	b, err := s.Booth(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Booth: b, Projects: []ShownProject{}, Staff: []StaffMember{}}
	err = s.db.R.SelectContext(ctx, &d.Projects, `SELECT p.id, p.title, p.kind, p.industry, p.status
		FROM booth_projects bp JOIN projects p ON p.id = bp.project_id WHERE bp.booth_id = ? ORDER BY p.title`, id)
	if err != nil {
		return Detail{}, fmt.Errorf("projects of booth %d: %w", id, err)
	}
	err = s.db.R.SelectContext(ctx, &d.Staff, `SELECT bs.user_id, u.username
		FROM booth_staff bs JOIN users u ON u.id = bs.user_id WHERE bs.booth_id = ? ORDER BY u.username`, id)
	if err != nil {
		return Detail{}, fmt.Errorf("staff of booth %d: %w", id, err)
	}
	return d, nil
}

// HolderProjects lists the projects of a delegation an organiser may choose
// to show at its booth. Rejected projects are left out.
func (s *Store) HolderProjects(ctx context.Context, delegationID int64) ([]ShownProject, error) {
	var ps []ShownProject
	err := s.db.R.SelectContext(ctx, &ps, `SELECT id, title, kind, industry, status FROM projects
		WHERE delegation_id = ? AND status <> 'rejected' ORDER BY title`, delegationID)
	if err != nil {
		return nil, fmt.Errorf("projects of delegation %d: %w", delegationID, err)
	}
	return ps, nil
}

// SetProjects replaces the projects shown at a booth. Only the holder's own
// projects may be shown, so the booth must be held.
func (s *Store) SetProjects(ctx context.Context, boothID int64, projectIDs []int64) (Detail, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		b, err := getBooth(ctx, tx, boothID)
		if err != nil {
			return err
		}
		if b.DelegationID == nil {
			return notHeld(b)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM booth_projects WHERE booth_id = ?`, boothID); err != nil {
			return fmt.Errorf("clear projects of booth %d: %w", boothID, err)
		}
		for _, pid := range unique(projectIDs) {
			res, err := tx.ExecContext(ctx, `INSERT INTO booth_projects (booth_id, project_id)
				SELECT ?, id FROM projects WHERE id = ? AND delegation_id = ? ON CONFLICT DO NOTHING`,
				boothID, pid, *b.DelegationID)
			if err != nil {
				return fmt.Errorf("show project %d at booth %d: %w", pid, boothID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Field("project_ids", "booth.project_not_holders", map[string]any{"ID": pid})
			}
		}
		return nil
	})
	if err != nil {
		return Detail{}, apperr.Wrap(err, fmt.Sprintf("set projects of booth %d", boothID))
	}
	return s.Detail(ctx, boothID)
}

func unique(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// BindStaff binds a staff account to a booth; an account staffs one booth
// at a time, so binding it elsewhere moves it.
func (s *Store) BindStaff(ctx context.Context, boothID, userID int64) (Detail, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := getBooth(ctx, tx, boothID); err != nil {
			return err
		}
		var n int
		err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM users WHERE id = ? AND role = 'staff' AND NOT disabled`, userID)
		if err != nil {
			return fmt.Errorf("find staff account %d: %w", userID, err)
		}
		if n == 0 {
			return apperr.Field("user_id", "booth.staff_not_staff", nil)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO booth_staff (user_id, booth_id) VALUES (?, ?)
			ON CONFLICT (user_id) DO UPDATE SET booth_id = excluded.booth_id`, userID, boothID)
		if err != nil {
			return fmt.Errorf("bind staff %d to booth %d: %w", userID, boothID, err)
		}
		return nil
	})
	if err != nil {
		return Detail{}, apperr.Wrap(err, "bind staff")
	}
	return s.Detail(ctx, boothID)
}

// UnbindStaff removes a staff account from a booth.
func (s *Store) UnbindStaff(ctx context.Context, boothID, userID int64) (Detail, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM booth_staff WHERE booth_id = ? AND user_id = ?`, boothID, userID)
		return err
	})
	if err != nil {
		return Detail{}, fmt.Errorf("unbind staff %d from booth %d: %w", userID, boothID, err)
	}
	return s.Detail(ctx, boothID)
}

// StaffBooth tells which booth a staff account is bound to, for the
// check-in package: booth staff may scan only at the checkpoint of that
// booth and see only its leads. Check-in should declare an interface of its
// own with this method rather than import this package's Store.
//
// ok is false (and boothID 0) when the account is bound to no booth, which
// is also the answer for an unknown user or one that is not staff: callers
// must then grant no booth at all, not every booth. An account staffs at
// most one booth. The binding follows the exhibitor when it moves (Move),
// and goes when the booth is released (Release), deleted (DeleteBooth) or
// the account unbound (UnbindStaff), so ask each time rather than caching
// it for long. err is only a database failure.
func (s *Store) StaffBooth(ctx context.Context, userID int64) (boothID int64, ok bool, err error) {
	var ids []int64
	if err := s.db.R.SelectContext(ctx, &ids, `SELECT booth_id FROM booth_staff WHERE user_id = ?`, userID); err != nil {
		return 0, false, fmt.Errorf("booth of staff %d: %w", userID, err)
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// StaffOptions lists the active staff accounts, for the bind form.
func (s *Store) StaffOptions(ctx context.Context) ([]web.Option, error) {
	var os []web.Option
	err := s.db.R.SelectContext(ctx, &os, `SELECT id, username AS label FROM users
		WHERE role = 'staff' AND NOT disabled ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list staff accounts: %w", err)
	}
	return os, nil
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

// CanSee reports, as an error, whether who may see the booth's detail
// (staff, projects): organisers, leaders and coordinators see every booth;
// a delegation its own; a staff account only the booth it is bound to.
func (s *Store) CanSee(ctx context.Context, who *web.Identity, b Booth) error {
	switch {
	case who.Is(web.RoleOrganiser, web.RoleLeader, web.RoleCoordinator):
		return nil
	case who.Is(web.RoleDelegation) && b.DelegationID != nil && *b.DelegationID == who.DelegationID:
		return nil
	case who.Is(web.RoleStaff):
		id, ok, err := s.StaffBooth(ctx, who.UserID)
		if err != nil {
			return err
		}
		if ok && id == b.ID {
			return nil
		}
	}
	return errForbidden
}

// DelegationBooths lists the IDs of the booths a delegation holds.
func (s *Store) DelegationBooths(ctx context.Context, delegationID int64) ([]int64, error) {
	var ids []int64
	err := s.db.R.SelectContext(ctx, &ids, `SELECT id FROM booths WHERE delegation_id = ? ORDER BY code`, delegationID)
	if err != nil {
		return nil, fmt.Errorf("booths of delegation %d: %w", delegationID, err)
	}
	return ids, nil
}
