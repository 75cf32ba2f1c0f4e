package roadshow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// ScheduleInput asks for an auto-schedule: which sessions to fill, and the
// pitch length and changeover between pitches, in minutes.
type ScheduleInput struct {
	SessionIDs        []int64 `json:"session_ids"`
	PitchMinutes      int     `json:"pitch_minutes"`
	ChangeoverMinutes int     `json:"changeover_minutes"`
}

// Validate reports every problem at once.
func (in *ScheduleInput) Validate() error {
	var d []apperr.Detail
	if len(in.SessionIDs) == 0 {
		d = append(d, apperr.Detail{Field: "session_ids", Key: "roadshow.sessions_required"})
	}
	if in.PitchMinutes < 3 || in.PitchMinutes > 120 {
		d = append(d, apperr.Detail{Field: "pitch_minutes", Key: "roadshow.pitch_range"})
	}
	if in.ChangeoverMinutes < 0 || in.ChangeoverMinutes > 60 {
		d = append(d, apperr.Detail{Field: "changeover_minutes", Key: "roadshow.changeover_range"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// ProposedSlot is one slot of an auto-schedule proposal; nothing is saved
// until the organiser accepts it.
type ProposedSlot struct {
	SessionID  int64     `json:"session_id"`
	Session    string    `json:"session"`
	ProjectID  int64     `json:"project_id"`
	Project    string    `json:"project"`
	Industry   string    `json:"industry"`
	Delegation string    `json:"delegation"`
	Presenter  string    `json:"presenter"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
}

// Unplaced is a selected project the proposal found no time for.
type Unplaced struct {
	ProjectID  int64  `json:"project_id"`
	Project    string `json:"project"`
	Delegation string `json:"delegation"`
}

// Proposal is an auto-schedule for the organiser to accept or not.
type Proposal struct {
	Slots    []ProposedSlot `json:"slots"`
	Unplaced []Unplaced     `json:"unplaced"`
}

// Propose packs the edition's selected projects that have no slot yet into
// the chosen sessions. Presenters are the projects' contacts (or their
// organisation when no contact is named).
func (s *Store) Propose(ctx context.Context, editionID int64, in ScheduleInput) (Proposal, error) {
	if err := in.Validate(); err != nil {
		return Proposal{}, err
	}
	sessions, err := s.planSessions(ctx, editionID, in.SessionIDs)
	if err != nil {
		return Proposal{}, err
	}
	var ps []planProject
	err = s.db.R.SelectContext(ctx, &ps, `SELECT p.id, p.title, p.industry, p.delegation_id, d.name AS delegation,
		COALESCE(NULLIF(TRIM(p.contact_name), ''), NULLIF(TRIM(p.organisation), ''), p.title) AS presenter
		FROM projects p JOIN delegations d ON d.id = p.delegation_id
		WHERE p.edition_id = ? AND p.status = 'selected'
		AND NOT EXISTS (SELECT 1 FROM slots s WHERE s.project_id = p.id) ORDER BY p.id`, editionID)
	if err != nil {
		return Proposal{}, fmt.Errorf("projects to schedule: %w", err)
	}
	busy, err := s.presenterBusy(ctx, editionID)
	if err != nil {
		return Proposal{}, err
	}
	pitch, change := time.Duration(in.PitchMinutes)*time.Minute, time.Duration(in.ChangeoverMinutes)*time.Minute
	placed, left := plan(ps, candidates(sessions, pitch, change), busy)
	out := Proposal{Slots: placed, Unplaced: []Unplaced{}}
	if out.Slots == nil {
		out.Slots = []ProposedSlot{}
	}
	for _, p := range left {
		out.Unplaced = append(out.Unplaced, Unplaced{ProjectID: p.ID, Project: p.Title, Delegation: p.Delegation})
	}
	return out, nil
}

// planSessions loads the chosen sessions, in the order chosen, with the
// time their slots already take. Pairing sessions have no pitches.
func (s *Store) planSessions(ctx context.Context, editionID int64, ids []int64) ([]planSession, error) {
	var out []planSession
	for _, id := range ids {
		sess, err := s.Session(ctx, id)
		if err != nil {
			return nil, err
		}
		if sess.EditionID != editionID || sess.Kind == KindPairing {
			return nil, apperr.Field("session_ids", "roadshow.session_not_schedulable", map[string]any{"Title": sess.Title})
		}
		var taken []interval
		err = s.db.R.SelectContext(ctx, &taken, `SELECT starts_at AS "from", ends_at AS "to" FROM slots WHERE session_id = ?`, id)
		if err != nil {
			return nil, fmt.Errorf("slots of session %d: %w", id, err)
		}
		out = append(out, planSession{Session: sess, Taken: taken})
	}
	return out, nil
}

// presenterBusy loads every presenter's slots at the edition once, and
// asks the registered Commitments for the rest as the plan goes.
func (s *Store) presenterBusy(ctx context.Context, editionID int64) (busyFunc, error) {
	var rows []struct {
		Presenter string    `db:"presenter"`
		From      time.Time `db:"starts_at"`
		To        time.Time `db:"ends_at"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT presenter, starts_at, ends_at FROM slots WHERE edition_id = ?`, editionID)
	if err != nil {
		return nil, fmt.Errorf("presenters' slots: %w", err)
	}
	spans := map[string][]interval{}
	for _, r := range rows {
		spans[r.Presenter] = append(spans[r.Presenter], interval{r.From, r.To})
	}
	return func(presenter string, at interval) bool {
		if presenterTaken(spans[presenter], at) {
			return true
		}
		for _, c := range s.check.commitments {
			cs, err := c.PresenterBusy(ctx, editionID, presenter, at.From, at.To)
			if err != nil {
				s.log.Warn("auto-schedule: presenter commitments", "err", err)
				return true // unknown is busy: never propose a clash
			}
			if len(cs) > 0 {
				return true
			}
		}
		return false
	}, nil
}

// AcceptInput is a proposal's slots as the organiser accepts them.
type AcceptInput struct {
	Slots []AcceptSlot `json:"slots"`
}

// AcceptSlot is one accepted slot: the session and the slot's fields.
type AcceptSlot struct {
	SessionID int64 `json:"session_id"`
	SlotInput
}

// Accept saves the slots of a proposal, all or none: anything that clashes
// now (the agenda may have changed since the proposal) refuses the lot.
func (s *Store) Accept(ctx context.Context, editionID int64, in AcceptInput) ([]Slot, error) {
	if len(in.Slots) == 0 {
		return nil, apperr.Field("slots", "roadshow.sessions_required", nil)
	}
	var out []Slot
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, ps := range in.Slots {
			if err := ps.SlotInput.Validate(); err != nil {
				return err
			}
			if err := sessionInEdition(ctx, tx, ps.SessionID, editionID); err != nil {
				return err
			}
			sl, err := s.insertSlot(ctx, tx, ps.SessionID, ps.SlotInput)
			if err != nil {
				return fmt.Errorf("accept slot for project %d: %w", ps.ProjectID, err)
			}
			out = append(out, sl)
		}
		return nil
	})
	return out, err
}

func sessionInEdition(ctx context.Context, q sqlx.QueryerContext, sessionID, editionID int64) error {
	sess, err := getSession(ctx, q, sessionID)
	if err != nil {
		return err
	}
	if sess.EditionID != editionID {
		return errSessionNotFound
	}
	return nil
}

// parseIDs reads a list of IDs from form values.
func parseIDs(vals []string) []int64 {
	var ids []int64
	for _, v := range vals {
		var id int64
		if _, err := fmt.Sscan(strings.TrimSpace(v), &id); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
