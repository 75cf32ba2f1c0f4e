package pairing

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference/roadshow"
	"huizhan/internal/apperr"
)

// commitment is something that keeps projects and presenters busy for a
// while: a pairing meeting, or a roadshow slot (read from the roadshow
// package's slots table).
type commitment struct {
	roadshow   bool
	pairingID  int64
	sessionID  int64
	table      int
	projects   [2]int64
	presenters [2]string
	start, end time.Time
}

func (c commitment) overlaps(start, end time.Time) bool {
	return c.start.Before(end) && c.end.After(start)
}

// commitments loads every meeting and roadshow slot of an edition. Times
// are compared in Go rather than in SQL so that nothing depends on how
// another package's timestamps are written.
func commitments(ctx context.Context, q sqlx.QueryerContext, editionID int64) ([]commitment, error) {
	var ms []Meeting
	if err := sqlx.SelectContext(ctx, q, &ms, `SELECT * FROM meetings WHERE edition_id = ?`, editionID); err != nil {
		return nil, fmt.Errorf("meetings of edition %d: %w", editionID, err)
	}
	var slots []struct {
		SessionID int64     `db:"session_id"`
		ProjectID int64     `db:"project_id"`
		Presenter string    `db:"presenter"`
		StartsAt  time.Time `db:"starts_at"`
		EndsAt    time.Time `db:"ends_at"`
	}
	if err := sqlx.SelectContext(ctx, q, &slots, `SELECT session_id, project_id, presenter, starts_at, ends_at
		FROM slots WHERE edition_id = ?`, editionID); err != nil {
		return nil, fmt.Errorf("roadshow slots of edition %d: %w", editionID, err)
	}
	cs := make([]commitment, 0, len(ms)+len(slots))
	for _, m := range ms {
		cs = append(cs, commitment{pairingID: m.PairingID, sessionID: m.SessionID, table: m.Table,
			projects: [2]int64{m.DemandID, m.SupplyID}, presenters: [2]string{m.DemandPresenter, m.SupplyPresenter},
			start: m.StartsAt, end: m.EndsAt})
	}
	for _, s := range slots {
		cs = append(cs, commitment{roadshow: true, sessionID: s.SessionID, projects: [2]int64{s.ProjectID},
			presenters: [2]string{s.Presenter}, start: s.StartsAt, end: s.EndsAt})
	}
	return cs, nil
}

// candidate is a pairing wanted at a time.
type candidate struct {
	pairing    Pairing
	start, end time.Time
}

func (c candidate) projects() [2]int64 { return [2]int64{c.pairing.DemandID, c.pairing.SupplyID} }
func (c candidate) presenters() [2]string {
	return [2]string{c.pairing.Demand.ContactName, c.pairing.Supply.ContactName}
}

// clashes lists what keeps the candidate from the table of the session:
// the table taken, a project or a presenter busy elsewhere then.
func (c candidate) clashes(cs []commitment, sessionID int64, table int) []apperr.Detail {
	var d []apperr.Detail
	for _, o := range cs {
		if o.pairingID == c.pairing.ID && !o.roadshow || !o.overlaps(c.start, c.end) {
			continue
		}
		with := map[string]any{"pairing_id": o.pairingID, "session_id": o.sessionID, "starts_at": o.start}
		if o.roadshow {
			with = map[string]any{"roadshow_session_id": o.sessionID, "starts_at": o.start}
		}
		if !o.roadshow && o.sessionID == sessionID && o.table == table {
			d = append(d, apperr.Detail{Kind: "table", Key: "meeting.clash_table", With: with})
		}
		if sharesProject(c.projects(), o.projects) {
			d = append(d, apperr.Detail{Kind: "project", Key: clashKey("project", o.roadshow), With: with})
		}
		if sharesPresenter(c.presenters(), o.presenters) {
			d = append(d, apperr.Detail{Kind: "presenter", Key: clashKey("presenter", o.roadshow), With: with})
		}
	}
	return d
}

func clashKey(kind string, roadshow bool) string {
	switch {
	case kind == "project" && roadshow:
		return "meeting.clash_project_roadshow"
	case kind == "project":
		return "meeting.clash_project"
	case roadshow:
		return "meeting.clash_presenter_roadshow"
	}
	return "meeting.clash_presenter"
}

func sharesProject(a, b [2]int64) bool {
	for _, x := range a {
		for _, y := range b {
			if x != 0 && x == y {
				return true
			}
		}
	}
	return false
}

func sharesPresenter(a, b [2]string) bool {
	for _, x := range a {
		for _, y := range b {
			if x != "" && x == y {
				return true
			}
		}
	}
	return false
}

// PresenterBusy tells the roadshow clash check (roadshow.Commitments) that
// a presenter sits at a pairing meeting during [from, to).
func (s *Store) PresenterBusy(ctx context.Context, editionID int64, presenter string, from, to time.Time) ([]roadshow.Clash, error) {
	if presenter == "" {
		return nil, nil
	}
	var ms []Meeting
	err := s.db.R.SelectContext(ctx, &ms, `SELECT * FROM meetings WHERE edition_id = ?
		AND (demand_presenter = ? OR supply_presenter = ?)`, editionID, presenter, presenter)
	if err != nil {
		return nil, fmt.Errorf("meetings of presenter %q: %w", presenter, err)
	}
	var out []roadshow.Clash
	for _, m := range ms {
		if m.StartsAt.Before(to) && m.EndsAt.After(from) {
			out = append(out, roadshow.Clash{Kind: "presenter", Key: "meeting.presenter_in_meeting",
				Args: map[string]any{"Presenter": presenter, "Table": m.Table},
				With: roadshow.ClashWith{Type: "meeting", ID: m.ID}})
		}
	}
	return out, nil
}
