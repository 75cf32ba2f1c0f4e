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
// while: a pairing meeting, or a roadshow slot (from the roadshow package,
// through Roadshows).
type commitment struct {
	roadshow   bool
	pairingID  int64
	sessionID  int64
	session    string // the roadshow session's title
	slotID     int64
	table      int
	projects   [2]int64
	presenters [2]string
	start, end time.Time
}

func (c commitment) overlaps(start, end time.Time) bool {
	return c.start.Before(end) && c.end.After(start)
}

// Roadshows is what this package needs of the roadshow package: the
// sessions (pairing sessions are sessions of kind "pairing") and when
// projects and presenters are on a roadshow stage. It is wired in
// cmd/huizhan/app.go; this package never reads the roadshow's tables.
type Roadshows interface {
	Session(ctx context.Context, id int64) (roadshow.Session, error)
	Sessions(ctx context.Context, editionID int64) ([]roadshow.Session, error)
	StageSlots(ctx context.Context, editionID int64) ([]roadshow.StageSlot, error)
}

// UseRoadshows tells the store where roadshow slots come from, so that a
// meeting never puts a project or a presenter at a table while it is on
// stage. Without it only meetings are checked.
func (s *Store) UseRoadshows(r Roadshows) { s.roadshows = r }

// commitments loads every meeting (through q, the write transaction when
// booking) and roadshow slot of an edition. Times are compared in Go.
func (s *Store) commitments(ctx context.Context, q sqlx.QueryerContext, editionID int64) ([]commitment, error) {
	var ms []Meeting
	if err := sqlx.SelectContext(ctx, q, &ms, `SELECT * FROM meetings WHERE edition_id = ?`, editionID); err != nil {
		return nil, fmt.Errorf("meetings of edition %d: %w", editionID, err)
	}
	var slots []roadshow.StageSlot
	if s.roadshows != nil {
		var err error
		if slots, err = s.roadshows.StageSlots(ctx, editionID); err != nil {
			return nil, fmt.Errorf("roadshow slots of edition %d: %w", editionID, err)
		}
	}
	cs := make([]commitment, 0, len(ms)+len(slots))
	for _, m := range ms {
		cs = append(cs, commitment{pairingID: m.PairingID, sessionID: m.SessionID, table: m.Table,
			projects: [2]int64{m.DemandID, m.SupplyID}, presenters: [2]string{m.DemandPresenter, m.SupplyPresenter},
			start: m.StartsAt, end: m.EndsAt})
	}
	for _, sl := range slots {
		cs = append(cs, commitment{roadshow: true, sessionID: sl.SessionID, session: sl.Session, slotID: sl.ID,
			projects: [2]int64{sl.ProjectID}, presenters: [2]string{sl.Presenter}, start: sl.StartsAt, end: sl.EndsAt})
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
		with := map[string]any{"pairing_id": o.pairingID, "session_id": o.sessionID, "table": o.table, "starts_at": o.start}
		args := map[string]any{"Table": o.table, "Time": o.start.In(china).Format("01-02 15:04")}
		if o.roadshow {
			with = map[string]any{"type": "roadshow_slot", "id": o.slotID, "roadshow_session_id": o.sessionID,
				"title": o.session, "starts_at": o.start}
			args = map[string]any{"Session": o.session, "Time": o.start.In(china).Format("01-02 15:04")}
		}
		if !o.roadshow && o.sessionID == sessionID && o.table == table {
			d = append(d, apperr.Detail{Kind: "table", Key: "meeting.clash_table", With: with, Args: args})
		}
		if sharesProject(c.projects(), o.projects) {
			d = append(d, apperr.Detail{Kind: "project", Key: clashKey("project", o.roadshow), With: with, Args: args})
		}
		if sharesPresenter(c.presenters(), o.presenters) {
			d = append(d, apperr.Detail{Kind: "presenter", Key: clashKey("presenter", o.roadshow), With: with, Args: args})
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

// ProjectBusy tells the roadshow clash check (roadshow.Commitments) that a
// project sits at a pairing meeting during [from, to), naming the meeting:
// its table, time and the counterpart.
func (s *Store) ProjectBusy(ctx context.Context, editionID, projectID int64, from, to time.Time) ([]roadshow.Clash, error) {
	var ms []struct {
		Meeting
		Counterpart string `db:"counterpart"`
	}
	err := s.db.R.SelectContext(ctx, &ms, `SELECT m.*, CASE WHEN m.demand_id = ? THEN s.title ELSE d.title END AS counterpart
		FROM meetings m JOIN projects d ON d.id = m.demand_id JOIN projects s ON s.id = m.supply_id
		WHERE m.edition_id = ? AND (m.demand_id = ? OR m.supply_id = ?)`, projectID, editionID, projectID, projectID)
	if err != nil {
		return nil, fmt.Errorf("meetings of project %d: %w", projectID, err)
	}
	var out []roadshow.Clash
	for _, m := range ms {
		if m.StartsAt.Before(to) && m.EndsAt.After(from) {
			out = append(out, roadshow.Clash{Kind: roadshow.ClashProject, Key: "meeting.project_in_meeting",
				Args: map[string]any{"Table": m.Table, "Counterpart": m.Counterpart, "Time": m.StartsAt.In(china).Format("01-02 15:04")},
				With: roadshow.ClashWith{Type: "meeting", ID: m.ID, Title: m.Counterpart}})
		}
	}
	return out, nil
}
