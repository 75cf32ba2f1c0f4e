package pairing

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Board is what the hall's big screen shows. It holds only what any
// signed-in account (and a board link) may see: titles, delegations,
// stages and amounts, never a delegation's messages.
type Board struct {
	EditionID int64          `json:"edition_id"`
	Edition   string         `json:"edition"`
	Counters  Counters       `json:"counters"`
	Now       []BoardMeeting `json:"now"`    // under way
	Next      []BoardMeeting `json:"next"`   // starting at the next slot
	Latest    []BoardPairing `json:"latest"` // latest agreements and signings
	At        time.Time      `json:"at"`
	Stages    []string       `json:"-"` // for the page's labels
}

// boardLatest is how many signings the board lists.
const boardLatest = 8

// Board gathers the big screen's picture at the current time.
func (s *Store) Board(ctx context.Context, editionID int64) (Board, error) {
	b := Board{EditionID: editionID, At: s.now().UTC(), Stages: Stages}
	var err error
	if b.Edition, err = s.EditionName(ctx, editionID); err != nil {
		return b, err
	}
	if b.Counters, err = s.Counters(ctx, editionID); err != nil {
		return b, err
	}
	var latest []Pairing
	if err = s.db.R.SelectContext(ctx, &latest, selectPairing+` WHERE p.edition_id = ?
		AND p.stage IN ('agreement','signed') ORDER BY p.updated_at DESC, p.id DESC LIMIT ?`, editionID, boardLatest); err != nil {
		return b, fmt.Errorf("latest signings: %w", err)
	}
	b.Latest = make([]BoardPairing, 0, len(latest))
	for _, p := range latest {
		b.Latest = append(b.Latest, boardPairing(p))
	}
	var ms []Meeting
	if err = s.db.R.SelectContext(ctx, &ms, `SELECT * FROM meetings WHERE edition_id = ? ORDER BY starts_at, table_no`, editionID); err != nil {
		return b, fmt.Errorf("meetings of edition %d: %w", editionID, err)
	}
	var now, next []Meeting
	var nextStart time.Time
	for _, m := range ms {
		switch {
		case !m.StartsAt.After(b.At) && m.EndsAt.After(b.At):
			now = append(now, m)
		case m.StartsAt.After(b.At) && (nextStart.IsZero() || m.StartsAt.Equal(nextStart)):
			nextStart = m.StartsAt
			next = append(next, m)
		}
	}
	withNow, err := s.withPairings(ctx, now)
	if err != nil {
		return b, err
	}
	withNext, err := s.withPairings(ctx, next)
	if err != nil {
		return b, err
	}
	b.Now, b.Next = boardMeetings(withNow), boardMeetings(withNext)
	return b, nil
}

// EditionName returns an edition's name, or not found.
func (s *Store) EditionName(ctx context.Context, editionID int64) (string, error) {
	var name string
	err := s.db.R.GetContext(ctx, &name, `SELECT name FROM editions WHERE id = ?`, editionID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "edition.not_found")
	}
	if err != nil {
		return "", fmt.Errorf("edition %d: %w", editionID, err)
	}
	return name, nil
}

// LatestEdition returns the newest edition's ID.
func (s *Store) LatestEdition(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.R.GetContext(ctx, &id, `SELECT id FROM editions ORDER BY number DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "edition.not_found")
	}
	if err != nil {
		return 0, fmt.Errorf("latest edition: %w", err)
	}
	return id, nil
}

// ownProject refuses a project that is not the delegation's.
func (s *Store) ownProject(ctx context.Context, projectID, delegationID int64) error {
	var del int64
	err := s.db.R.GetContext(ctx, &del, `SELECT delegation_id FROM projects WHERE id = ?`, projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "pairing.project_not_found")
	}
	if err != nil {
		return fmt.Errorf("project %d: %w", projectID, err)
	}
	if del != delegationID {
		return errForbidden
	}
	return nil
}

func (h *Handlers) apiBoard(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var b Board
	if err == nil {
		b, err = h.store.Board(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

// heartbeat keeps proxies from closing an idle event stream.
const heartbeat = 20 * time.Second

// live streams an edition's events (Server-Sent Events): "counters" first
// and after every change, "stage" and "meeting" as they happen.
func (h *Handlers) live(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.EditionName(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	events, cancel := h.broker.Subscribe(id)
	defer cancel()
	w := c.Writer
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ctx := c.Request.Context()
	if !h.sendCounters(ctx, w, id) {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := w.WriteString(": ping\n\n"); err != nil {
				return
			}
			w.Flush()
		case e := <-events:
			if !sendEvent(w, e.Type, e) || !h.sendCounters(ctx, w, id) {
				return
			}
		}
	}
}

func (h *Handlers) sendCounters(ctx context.Context, w gin.ResponseWriter, editionID int64) bool {
	cs, err := h.store.Counters(ctx, editionID)
	if err != nil {
		h.site.Log.Error("live counters", "edition", editionID, "err", err)
		return false
	}
	return sendEvent(w, "counters", cs)
}

func sendEvent(w gin.ResponseWriter, name string, v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b); err != nil {
		return false
	}
	w.Flush()
	return true
}
