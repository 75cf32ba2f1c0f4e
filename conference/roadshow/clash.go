package roadshow

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// Clash kinds. The first four are hard (the change is refused with 409);
// the others are warnings, saved with the slot and shown.
const (
	ClashRoom           = "room"
	ClashOutside        = "outside_session"
	ClashProject        = "project"
	ClashPresenter      = "presenter"
	WarnDelegationShare = "delegation_share"
	WarnPresenterGap    = "presenter_gap"
	WarnNotSelected     = "not_selected"
	presenterMinimumGap = 15 * time.Minute
	projectStatusChosen = "selected"
	clashWithSlot       = "slot"
	clashWithSession    = "session"
)

// Clash is one problem with a slot. Key and Args name the catalogue message;
// Message is filled in the reader's language when the clash is answered.
type Clash struct {
	Kind    string         `json:"kind"`
	Message string         `json:"message,omitempty"`
	With    ClashWith      `json:"with"`
	Key     string         `json:"key"`
	Args    map[string]any `json:"args,omitempty"`
}

// ClashWith names what a slot clashes with: a slot, a session, or another
// package's commitment (Type says which; ID is that thing's ID).
type ClashWith struct {
	Type  string `json:"type"`
	ID    int64  `json:"id"`
	Title string `json:"title,omitempty"`
}

// Commitments is how another package (pairing meetings) tells the clash
// check that a presenter or a project is busy elsewhere. PresenterBusy
// returns a hard Clash of kind "presenter", ProjectBusy one of kind
// "project", for each commitment overlapping [from, to); the clash names
// the other engagement (With and Args).
type Commitments interface {
	PresenterBusy(ctx context.Context, editionID int64, presenter string, from, to time.Time) ([]Clash, error)
	ProjectBusy(ctx context.Context, editionID, projectID int64, from, to time.Time) ([]Clash, error)
}

// placement is a slot as the clash check sees it. ExcludeID is the slot
// being changed, which must not clash with itself.
type placement struct {
	Session   Session
	ProjectID int64
	Presenter string
	StartsAt  time.Time
	EndsAt    time.Time
	ExcludeID int64
}

type checker struct {
	commitments []Commitments
}

// check returns the hard clashes and the warnings of p, reading through q
// (the write transaction, so that the check and the write see the same
// rows). Every hard clash is listed, not just the first.
func (ch checker) check(ctx context.Context, q sqlx.QueryerContext, p placement) (hard, soft Clashes, err error) {
	p.StartsAt, p.EndsAt = toUTC(p.StartsAt), toUTC(p.EndsAt) // compared as text in SQL
	if p.StartsAt.Before(p.Session.StartsAt) || p.EndsAt.After(p.Session.EndsAt) {
		hard = append(hard, Clash{Kind: ClashOutside, Key: "roadshow.clash_outside",
			With: ClashWith{Type: clashWithSession, ID: p.Session.ID, Title: p.Session.Title},
			Args: map[string]any{"Session": p.Session.Title}})
	}
	for _, f := range []func(context.Context, sqlx.QueryerContext, placement) (Clashes, error){
		roomClashes, projectClashes, presenterClashes,
	} {
		cs, err := f(ctx, q, p)
		if err != nil {
			return nil, nil, err
		}
		hard = append(hard, cs...)
	}
	for _, c := range ch.commitments {
		cs, err := c.PresenterBusy(ctx, p.Session.EditionID, p.Presenter, p.StartsAt, p.EndsAt)
		if err != nil {
			return nil, nil, fmt.Errorf("presenter commitments: %w", err)
		}
		hard = append(hard, cs...)
		if cs, err = c.ProjectBusy(ctx, p.Session.EditionID, p.ProjectID, p.StartsAt, p.EndsAt); err != nil {
			return nil, nil, fmt.Errorf("project commitments: %w", err)
		}
		hard = append(hard, cs...)
	}
	soft, err = warnings(ctx, q, p)
	return hard, soft, err
}

// other is a slot found by a clash query.
type other struct {
	ID       int64     `db:"id"`
	Title    string    `db:"title"`
	Session  string    `db:"session"`
	Room     string    `db:"room"`
	StartsAt time.Time `db:"starts_at"`
}

const otherColumns = `SELECT s.id, p.title, a.title AS session, r.name AS room, s.starts_at
	FROM slots s JOIN projects p ON p.id = s.project_id
	JOIN agenda_sessions a ON a.id = s.session_id JOIN rooms r ON r.id = s.room_id `

func overlapping(ctx context.Context, q sqlx.QueryerContext, where string, args ...any) ([]other, error) {
	var os []other
	if err := sqlx.SelectContext(ctx, q, &os, otherColumns+where, args...); err != nil {
		return nil, fmt.Errorf("clash query: %w", err)
	}
	return os, nil
}

func slotClashes(kind, key string, os []other) Clashes {
	var cs Clashes
	for _, o := range os {
		cs = append(cs, Clash{Kind: kind, Key: key, With: ClashWith{Type: clashWithSlot, ID: o.ID, Title: o.Title},
			Args: map[string]any{"Title": o.Title, "Session": o.Session, "Room": o.Room,
				"Time": o.StartsAt.In(China).Format("01-02 15:04")}})
	}
	return cs
}

func roomClashes(ctx context.Context, q sqlx.QueryerContext, p placement) (Clashes, error) {
	os, err := overlapping(ctx, q, `WHERE s.room_id = ? AND s.starts_at < ? AND s.ends_at > ? AND s.id <> ?`,
		p.Session.RoomID, p.EndsAt, p.StartsAt, p.ExcludeID)
	return slotClashes(ClashRoom, "roadshow.clash_room", os), err
}

func projectClashes(ctx context.Context, q sqlx.QueryerContext, p placement) (Clashes, error) {
	os, err := overlapping(ctx, q, `WHERE s.edition_id = ? AND s.project_id = ? AND s.starts_at < ? AND s.ends_at > ? AND s.id <> ?`,
		p.Session.EditionID, p.ProjectID, p.EndsAt, p.StartsAt, p.ExcludeID)
	return slotClashes(ClashProject, "roadshow.clash_project", os), err
}

func presenterClashes(ctx context.Context, q sqlx.QueryerContext, p placement) (Clashes, error) {
	os, err := overlapping(ctx, q, `WHERE s.edition_id = ? AND s.presenter = ? AND s.starts_at < ? AND s.ends_at > ? AND s.id <> ?`,
		p.Session.EditionID, p.Presenter, p.EndsAt, p.StartsAt, p.ExcludeID)
	cs := slotClashes(ClashPresenter, "roadshow.clash_presenter", os)
	for i := range cs {
		cs[i].Args["Presenter"] = p.Presenter
	}
	return cs, err
}

// warnings finds the soft clashes: a presenter with too little time to
// change rooms, a project not selected, a delegation over its share.
func warnings(ctx context.Context, q sqlx.QueryerContext, p placement) (Clashes, error) {
	os, err := overlapping(ctx, q, `WHERE s.edition_id = ? AND s.presenter = ? AND s.room_id <> ?
		AND s.starts_at < ? AND s.ends_at > ? AND s.id <> ?`,
		p.Session.EditionID, p.Presenter, p.Session.RoomID,
		p.EndsAt.Add(presenterMinimumGap), p.StartsAt.Add(-presenterMinimumGap), p.ExcludeID)
	if err != nil {
		return nil, err
	}
	soft := slotClashes(WarnPresenterGap, "roadshow.warn_presenter_gap", os)
	for i := range soft {
		soft[i].Args["Presenter"] = p.Presenter
	}
	var status string
	if err := sqlx.GetContext(ctx, q, &status, `SELECT status FROM projects WHERE id = ?`, p.ProjectID); err != nil {
		return nil, fmt.Errorf("project status %d: %w", p.ProjectID, err)
	}
	if status != projectStatusChosen {
		soft = append(soft, Clash{Kind: WarnNotSelected, Key: "roadshow.warn_not_selected",
			With: ClashWith{Type: "project", ID: p.ProjectID}})
	}
	share, err := shareWarning(ctx, q, p)
	if share != nil {
		soft = append(soft, *share)
	}
	return soft, err
}

// shareWarning is set when the project's delegation would hold more than
// its fair share of the session's slots: the session's slots divided by
// the number of delegations with selected projects at the edition.
func shareWarning(ctx context.Context, q sqlx.QueryerContext, p placement) (*Clash, error) {
	var n struct {
		Total       int    `db:"total"`
		Mine        int    `db:"mine"`
		Delegations int    `db:"delegations"`
		Name        string `db:"name"`
	}
	err := sqlx.GetContext(ctx, q, &n, `SELECT
		(SELECT COUNT(*) FROM slots WHERE session_id = ? AND id <> ?) + 1 AS total,
		(SELECT COUNT(*) FROM slots s JOIN projects o ON o.id = s.project_id
		  WHERE s.session_id = ? AND s.id <> ? AND o.delegation_id = p.delegation_id) + 1 AS mine,
		(SELECT COUNT(DISTINCT delegation_id) FROM projects WHERE edition_id = p.edition_id AND status = 'selected') AS delegations,
		d.name
		FROM projects p JOIN delegations d ON d.id = p.delegation_id WHERE p.id = ?`,
		p.Session.ID, p.ExcludeID, p.Session.ID, p.ExcludeID, p.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("delegation share: %w", err)
	}
	if n.Delegations < 2 {
		return nil, nil // one delegation on stage: every slot is its share
	}
	share := (n.Total + n.Delegations - 1) / n.Delegations
	if n.Mine <= share {
		return nil, nil
	}
	return &Clash{Kind: WarnDelegationShare, Key: "roadshow.warn_delegation_share",
		With: ClashWith{Type: clashWithSession, ID: p.Session.ID, Title: p.Session.Title},
		Args: map[string]any{"Delegation": n.Name, "Count": n.Mine, "Share": share}}, nil
}

// refuse turns hard clashes into the 409 answer, one detail per clash.
func refuse(hard Clashes) error {
	ds := make([]apperr.Detail, len(hard))
	for i, c := range hard {
		ds[i] = apperr.Detail{Kind: c.Kind, With: c.With, Key: c.Key, Args: c.Args}
	}
	return apperr.New(apperr.Conflict, "roadshow.clash").With(map[string]any{"Count": len(hard)}).WithDetails(ds...)
}
