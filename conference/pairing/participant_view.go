package pairing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// ParticipantView is what a link's page shows: the project, its requests both
// ways, its schedule and the half-days it is at the hall.
type ParticipantView struct {
	Project      Side            `json:"project"`
	Edition      string          `json:"edition"`
	ContactName  string          `json:"contact_name"`
	Requests     []Request       `json:"requests"`
	Schedule     []ScheduleEntry `json:"schedule"`
	Availability []time.Time     `json:"availability"`
	HalfDays     []time.Time     `json:"half_days"` // the choices: half-days with pairing slots
}

// ScheduleEntry is one meeting of the project, with its counterpart and
// what this side reported after it.
type ScheduleEntry struct {
	Meeting
	Room        string `json:"room"`
	Session     string `json:"session"`
	Stage       string `json:"stage"`
	Counterpart Side   `json:"counterpart"`
	Outcome     string `json:"outcome"` // this side's report, "" before
}

// Counterpart is a project a participant may ask for a meeting, with why
// it was suggested (no contact details: those are for coordinators).
type Counterpart struct {
	Side
	Summary  string   `json:"summary"`
	Keywords []string `json:"keywords"`
	Score    float64  `json:"score,omitempty"`
	Reasons  []Reason `json:"reasons,omitempty"`
}

func counterpartOf(p conference.Project, delegation string) Counterpart {
	return Counterpart{Side: Side{ID: p.ID, Kind: p.Kind, Title: p.Title, Industry: p.Industry,
		Organisation: p.Organisation, DelegationID: p.DelegationID, Delegation: delegation},
		Summary: p.Summary, Keywords: p.Keywords}
}

// Participant returns the view of a link's project.
func (s *Store) Participant(ctx context.Context, projectID int64) (ParticipantView, error) {
	var v ParticipantView
	err := s.db.R.GetContext(ctx, &v.Project, `SELECT p.id, p.kind, p.title, p.industry, p.organisation,
		p.delegation_id, d.name AS delegation, p.contact_name FROM projects p JOIN delegations d ON d.id = p.delegation_id
		WHERE p.id = ?`, projectID)
	if err != nil {
		return v, fmt.Errorf("participant project %d: %w", projectID, err)
	}
	v.ContactName = v.Project.ContactName
	var editionID int64
	if err := s.db.R.GetContext(ctx, &editionID, `SELECT edition_id FROM projects WHERE id = ?`, projectID); err != nil {
		return v, fmt.Errorf("edition of project %d: %w", projectID, err)
	}
	if v.Edition, err = s.EditionName(ctx, editionID); err != nil {
		return v, err
	}
	if v.Requests, err = s.requestsOf(ctx, projectID); err != nil {
		return v, err
	}
	if v.Schedule, err = s.Schedule(ctx, projectID); err != nil {
		return v, err
	}
	ss, err := s.Sessions(ctx, editionID)
	if err != nil {
		return v, err
	}
	v.HalfDays = inChina(halfDays(ss))
	avail, err := availabilityOf(ctx, s.db.R, projectID)
	if err != nil {
		return v, err
	}
	v.Availability = inChina(avail[projectID])
	return v, nil
}

// requestsOf lists a project's requests, sent and received, newest first.
func (s *Store) requestsOf(ctx context.Context, projectID int64) ([]Request, error) {
	rs := []Request{}
	err := s.db.R.SelectContext(ctx, &rs, selectRequest+` WHERE r.from_project_id = ? OR r.to_project_id = ?
		ORDER BY r.id DESC LIMIT 200`, projectID, projectID)
	if err != nil {
		return nil, fmt.Errorf("requests of project %d: %w", projectID, err)
	}
	for i := range rs {
		rs[i].Direction = "incoming"
		if rs[i].FromProjectID == projectID {
			rs[i].Direction = "outgoing"
		}
	}
	return rs, s.completeRequests(ctx, rs)
}

// completeRequests adds the meetings and outcomes of accepted requests.
func (s *Store) completeRequests(ctx context.Context, rs []Request) error {
	var ids []int64
	for _, r := range rs {
		if r.PairingID != nil {
			ids = append(ids, *r.PairingID)
		}
	}
	meetings, outcomes := map[int64]*Meeting{}, map[int64][]Outcome{}
	if len(ids) > 0 {
		q, args, err := sqlx.In(`SELECT * FROM meetings WHERE pairing_id IN (?)`, ids)
		if err != nil {
			return fmt.Errorf("request meetings: %w", err)
		}
		var ms []Meeting
		if err := s.db.R.SelectContext(ctx, &ms, q, args...); err != nil {
			return fmt.Errorf("request meetings: %w", err)
		}
		for i := range ms {
			meetings[ms[i].PairingID] = &ms[i]
		}
		q, args, err = sqlx.In(`SELECT * FROM participant_outcomes WHERE pairing_id IN (?) ORDER BY reported_at`, ids)
		if err != nil {
			return fmt.Errorf("request outcomes: %w", err)
		}
		var os []Outcome
		if err := s.db.R.SelectContext(ctx, &os, q, args...); err != nil {
			return fmt.Errorf("request outcomes: %w", err)
		}
		for _, o := range os {
			outcomes[o.PairingID] = append(outcomes[o.PairingID], o)
		}
	}
	for i := range rs {
		rs[i].Outcomes = []Outcome{}
		if rs[i].PairingID == nil {
			continue
		}
		rs[i].Meeting = meetings[*rs[i].PairingID]
		rs[i].Queued = rs[i].Meeting == nil && rs[i].State == RequestAccepted &&
			rs[i].Stage != nil && *rs[i].Stage != StageDropped
		if o := outcomes[*rs[i].PairingID]; o != nil {
			rs[i].Outcomes = o
		}
	}
	return nil
}

// RequestFilter narrows the coordinator's list of requests.
type RequestFilter struct {
	State  string // open, accepted, declined; "" for all
	Queued bool   // accepted, open pairing, no meeting
}

// Requests lists one page of an edition's requests, newest first, for the
// coordinator.
func (s *Store) Requests(ctx context.Context, editionID int64, f RequestFilter, pg web.Paging) ([]Request, int, error) {
	where, args := ` WHERE r.edition_id = ?`, []any{editionID}
	if f.State != "" {
		where += ` AND r.state = ?`
		args = append(args, f.State)
	}
	if f.Queued {
		where += ` AND r.state = 'accepted' AND p.stage <> 'dropped'
			AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.pairing_id = r.pairing_id)`
	}
	var total int
	err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM participant_requests r
		LEFT JOIN pairings p ON p.id = r.pairing_id`+where, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count requests: %w", err)
	}
	rs := []Request{}
	err = s.db.R.SelectContext(ctx, &rs, selectRequest+where+` ORDER BY r.id DESC LIMIT ? OFFSET ?`,
		append(args, pg.PerPage, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list requests: %w", err)
	}
	return rs, total, s.completeRequests(ctx, rs)
}

// Schedule lists a project's meetings in time order, whoever booked them.
func (s *Store) Schedule(ctx context.Context, projectID int64) ([]ScheduleEntry, error) {
	var ms []Meeting
	err := s.db.R.SelectContext(ctx, &ms, `SELECT * FROM meetings WHERE demand_id = ? OR supply_id = ?
		ORDER BY starts_at, id`, projectID, projectID)
	if err != nil {
		return nil, fmt.Errorf("schedule of project %d: %w", projectID, err)
	}
	sms, err := s.withPairings(ctx, ms)
	if err != nil {
		return nil, err
	}
	var os []Outcome
	err = s.db.R.SelectContext(ctx, &os, `SELECT * FROM participant_outcomes WHERE project_id = ?`, projectID)
	if err != nil {
		return nil, fmt.Errorf("outcomes of project %d: %w", projectID, err)
	}
	out := make([]ScheduleEntry, 0, len(sms))
	sessions := map[int64]Session{}
	for _, sm := range sms {
		ss, ok := sessions[sm.SessionID]
		if !ok {
			if ss, err = s.Session(ctx, sm.SessionID); err != nil {
				return nil, err
			}
			sessions[sm.SessionID] = ss
		}
		e := ScheduleEntry{Meeting: sm.Meeting, Room: ss.Room, Session: ss.Title, Stage: sm.Pairing.Stage,
			Counterpart: sm.Pairing.Demand}
		if sm.DemandID == projectID {
			e.Counterpart = sm.Pairing.Supply
		}
		if i := slices.IndexFunc(os, func(o Outcome) bool { return o.PairingID == sm.PairingID }); i >= 0 {
			e.Outcome = os[i].Outcome
		}
		out = append(out, e)
	}
	return out, nil
}

// Counterparts searches the edition for projects of the other side that a
// participant may ask, as the cloud hall searches; at most 20.
func (s *Store) Counterparts(ctx context.Context, projectID int64, q string) ([]Counterpart, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return []Counterpart{}, nil
	}
	if len([]rune(q)) > 50 {
		return nil, apperr.Field("q", "participant.text_too_long", map[string]any{"Max": 50})
	}
	me, err := s.project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	side := `p.kind = 'demand'`
	if me.Kind == conference.KindDemand {
		side = `p.kind <> 'demand'`
	}
	// The cloud hall's own text search (FTS5 trigrams, pg_trgm on
	// PostgreSQL): every term must occur in the title, summary,
	// organisation or keywords.
	var search conference.TextSearch = conference.FTS5Search{}
	if s.db.Dialect() == db.Postgres {
		search = conference.TrigramSearch{}
	}
	ids, args := search.IDs(q)
	if ids == "" {
		return []Counterpart{}, nil
	}
	var rows []struct {
		conference.Project
		Delegation string `db:"delegation"`
	}
	err = s.db.R.SelectContext(ctx, &rows, `SELECT p.*, d.name AS delegation FROM projects p
		JOIN delegations d ON d.id = p.delegation_id
		WHERE p.id IN (`+ids+`) AND p.edition_id = ? AND p.status <> 'rejected' AND `+side+`
		ORDER BY p.id LIMIT 20`, append(args, me.EditionID)...)
	if err != nil {
		return nil, fmt.Errorf("search counterparts: %w", err)
	}
	out := make([]Counterpart, 0, len(rows))
	for _, r := range rows {
		out = append(out, counterpartOf(r.Project, r.Delegation))
	}
	return out, nil
}

// delegationNames maps the delegations of projects to their names.
func (s *Store) delegationNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id, name FROM delegations WHERE id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("delegation names: %w", err)
	}
	var rows []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	if err := s.db.R.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("delegation names: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// Recommended returns a project's best counterparts from the recommender,
// without contact details.
func (s *Store) Recommended(ctx context.Context, rec *Recommender, projectID int64, limit int) ([]Counterpart, error) {
	ms, err := rec.Matches(ctx, projectID, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.Project.DelegationID
	}
	names, err := s.delegationNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Counterpart, len(ms))
	for i, m := range ms {
		out[i] = counterpartOf(m.Project, names[m.Project.DelegationID])
		out[i].Score, out[i].Reasons = m.Score, m.Reasons
	}
	return out, nil
}

// OutcomeReport is one side's report after a meeting, for the coordinator.
type OutcomeReport struct {
	PairingID   int64     `db:"pairing_id" json:"pairing_id"`
	ProjectID   int64     `db:"project_id" json:"project_id"`
	Outcome     string    `db:"outcome" json:"outcome"`
	ReportedAt  time.Time `db:"reported_at" json:"reported_at"`
	Stage       string    `db:"stage" json:"stage"`
	Reporter    string    `db:"reporter" json:"reporter"`
	Counterpart string    `db:"counterpart" json:"counterpart"`
}

// RecentOutcomes lists the latest reports of an edition's participants,
// newest first, whoever made the pairing.
func (s *Store) RecentOutcomes(ctx context.Context, editionID int64, limit int) ([]OutcomeReport, error) {
	out := []OutcomeReport{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT o.*, p.stage, r.title AS reporter,
		CASE WHEN o.project_id = p.demand_id THEN sp.title ELSE dp.title END AS counterpart
		FROM participant_outcomes o JOIN pairings p ON p.id = o.pairing_id JOIN projects r ON r.id = o.project_id
		JOIN projects dp ON dp.id = p.demand_id JOIN projects sp ON sp.id = p.supply_id
		WHERE p.edition_id = ? ORDER BY o.reported_at DESC, o.pairing_id DESC LIMIT ?`, editionID, limit)
	if err != nil {
		return nil, fmt.Errorf("outcomes of edition %d: %w", editionID, err)
	}
	return out, nil
}
