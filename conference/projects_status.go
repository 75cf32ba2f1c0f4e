package conference

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

const maxNote = 500

// SetProjectStatus moves a project to status to with a note, keeping the
// change in the history. Selecting a project beyond the edition's quota
// for its delegation is refused.
func (s *Store) SetProjectStatus(ctx context.Context, a *web.Identity, id int64, to, note string) (Project, error) {
	note = strings.TrimSpace(note)
	if !slices.Contains(Statuses, to) {
		return Project{}, apperr.Field("status", "project.status_invalid", nil)
	}
	if utf8.RuneCountInString(note) > maxNote {
		return Project{}, apperr.Field("note", "error.max_length", map[string]any{"Max": maxNote})
	}
	var p Project
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		old, err := getProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := canMove(a, old, to); err != nil {
			return err
		}
		if !CanMove(old.Status, to) {
			return apperr.New(apperr.Conflict, "project.transition").With(map[string]any{
				"From": old.Status, "To": to})
		}
		if to == StatusSelected {
			if err := checkQuota(ctx, tx, old); err != nil {
				return err
			}
		}
		now := s.now().UTC()
		if err := tx.GetContext(ctx, &p, `UPDATE projects SET status = ?, status_note = ?, updated_at = ?
			WHERE id = ? RETURNING *`, to, note, now, id); err != nil {
			return fmt.Errorf("set status: %w", err)
		}
		var uid *int64
		name := ""
		if a != nil {
			uid, name = &a.UserID, a.Username
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO project_status_changes
			(project_id, from_status, to_status, note, user_id, username, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, old.Status, to, note, uid, name, now)
		if err != nil {
			return err
		}
		return s.notifyStatus(ctx, tx, p, now.UnixNano())
	})
	if err != nil {
		return Project{}, apperr.Wrap(err, fmt.Sprintf("set status of project %d", id))
	}
	return p, nil
}

// checkQuota refuses one more selected project for p's delegation when the
// edition's quota is reached. It runs in the write transaction, so two
// organisers selecting at once cannot both pass.
func checkQuota(ctx context.Context, tx *sqlx.Tx, p Project) error {
	var row struct {
		Quota    *int   `db:"quota"`
		Selected int    `db:"selected"`
		Name     string `db:"name"`
	}
	err := tx.GetContext(ctx, &row, `SELECT e.selected_quota AS quota, d.name,
		(SELECT COUNT(*) FROM projects WHERE delegation_id = d.id AND edition_id = e.id AND status = 'selected') AS selected
		FROM editions e JOIN delegations d ON d.id = ? WHERE e.id = ?`, p.DelegationID, p.EditionID)
	if err != nil {
		return fmt.Errorf("check quota: %w", err)
	}
	if row.Quota != nil && row.Selected >= *row.Quota {
		return apperr.New(apperr.Conflict, "project.quota_reached").With(map[string]any{
			"Quota": *row.Quota, "Delegation": row.Name, "Selected": row.Selected})
	}
	return nil
}

// ProjectHistory lists a project's status changes, oldest first.
func (s *Store) ProjectHistory(ctx context.Context, a *web.Identity, id int64) ([]StatusChange, error) {
	if _, err := s.Project(ctx, a, id); err != nil {
		return nil, err
	}
	var h []StatusChange
	err := s.db.R.SelectContext(ctx, &h, `SELECT * FROM project_status_changes WHERE project_id = ? ORDER BY changed_at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("project %d history: %w", id, err)
	}
	return h, nil
}

// SetSelectedQuota sets (or, with nil, lifts) the number of projects each
// delegation may have selected at an edition.
func (s *Store) SetSelectedQuota(ctx context.Context, editionID int64, quota *int) (Edition, error) {
	if quota != nil && (*quota < 0 || *quota > 10000) {
		return Edition{}, apperr.Field("selected_quota", "project.quota_range", nil)
	}
	var e Edition
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &e, `UPDATE editions SET selected_quota = ?, updated_at = ? WHERE id = ? RETURNING *`,
			quota, s.now().UTC(), editionID)
	})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Edition{}, errEditionNotFound
		}
		return Edition{}, apperr.Wrap(err, "set quota")
	}
	return e, nil
}
