package pairing

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/civil"
	"huizhan/internal/web"
)

type showData struct {
	Pairing  Pairing
	History  []Change
	Notes    []Note
	Sessions []Session
	Stages   []string
	Today    civil.Date
	Error    *web.ErrorInfo
	Form     StageInput
	// Confirm is set when the form asked for a correction: the page asks
	// whether to make it before anything changes.
	Confirm bool
}

// Default is the stage the stage form starts at: the next one on the
// line, or the current one at the end of it (never the first option, which
// would send a signed pairing back to proposed).
func (d showData) Default() string {
	if d.Form.Stage != "" {
		return d.Form.Stage
	}
	if n := d.Pairing.Next(); n != "" {
		return n
	}
	return d.Pairing.Stage
}

// Correction reports whether the stage shown in the form would be a
// correction of the pairing.
func (d showData) Correction() bool { return IsCorrection(d.Pairing.Stage, d.Default()) }

func (h *Handlers) showPage(c *gin.Context) {
	h.showPairing(c, http.StatusOK, "pairing/show", StageInput{}, nil)
}

func (h *Handlers) quickPage(c *gin.Context) {
	h.showPairing(c, http.StatusOK, "pairing/quick", StageInput{}, nil)
}

func (h *Handlers) showPairing(c *gin.Context, status int, page string, form StageInput, info *web.ErrorInfo) {
	h.renderPairing(c, status, page, showData{Form: form, Error: info})
}

func (h *Handlers) renderPairing(c *gin.Context, status int, page string, d showData) {
	ctx := c.Request.Context()
	p, err := h.visiblePairing(c)
	d.Pairing, d.Stages, d.Today = p, Stages, dayOf(time.Now())
	if err == nil {
		d.History, err = h.store.History(ctx, p.ID)
	}
	if err == nil {
		d.Notes, err = h.store.Notes(ctx, p.ID)
	}
	if err == nil {
		d.Sessions, err = h.store.Sessions(ctx, p.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, page, "pairing.show_title", d)
}

func (h *Handlers) stageForm(c *gin.Context) { h.moveStage(c, "pairing/show", "") }
func (h *Handlers) quickForm(c *gin.Context) { h.moveStage(c, "pairing/quick", "/quick") }

// moveStage saves the stage form. A correction (backward, drop, reopen)
// is first shown back for confirmation; only the confirmed form moves it.
func (h *Handlers) moveStage(c *gin.Context, page, suffix string) {
	id, err := web.ParamID(c, "id")
	in, err2 := stageFromForm(c)
	if err == nil {
		err = err2
	}
	var p Pairing
	if err == nil {
		p, err = h.store.Pairing(c.Request.Context(), id)
	}
	if err == nil && IsCorrection(p.Stage, in.Stage) && c.PostForm("confirm") != "1" {
		h.renderPairing(c, http.StatusOK, "pairing/show", showData{Form: in, Confirm: true})
		return
	}
	if err == nil {
		_, err = h.store.SetStage(c.Request.Context(), id, in, web.IdentityOf(c))
	}
	if err != nil {
		info, status, ok := h.site.FormError(c, err)
		if ok {
			h.showPairing(c, status, page, in, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/pairings/%d%s", id, suffix), "pairing.stage_saved")
}

func (h *Handlers) respondForm(c *gin.Context) {
	p, err := h.visiblePairing(c)
	if err == nil {
		_, err = h.store.Respond(c.Request.Context(), p.ID, c.PostForm("accept") == "1", web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/pairings/%d", p.ID), "pairing.request_answered")
}

func (h *Handlers) bookForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in MeetingInput
	if err == nil {
		in, err = meetingFromForm(c)
	}
	if err == nil {
		_, err = h.store.Book(c.Request.Context(), id, in)
	}
	if err != nil {
		info, status, ok := h.site.FormError(c, err)
		if ok {
			h.showPairing(c, status, "pairing/show", StageInput{}, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/pairings/%d", id), "pairing.meeting_booked")
}

func (h *Handlers) ceremonyForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var pos *int
	if err == nil && c.PostForm("position") != "" {
		var n int64
		n, err = web.FormInt64(c, "position")
		v := int(n)
		pos = &v
	}
	var p Pairing
	if err == nil {
		p, err = h.store.SetCeremonyPosition(c.Request.Context(), id, pos)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/pairing/ceremony", p.EditionID), "pairing.ceremony_saved")
}

type ceremonyData struct {
	EditionID int64
	Edition   string
	Pairings  []Pairing
}

func (h *Handlers) ceremonyPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := ceremonyData{EditionID: id}
	if err == nil {
		d.Edition, err = h.store.EditionName(ctx, id)
	}
	if err == nil {
		d.Pairings, err = h.store.Ceremony(ctx, id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/ceremony", "pairing.ceremony_title", d)
}

func (h *Handlers) boardPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderBoard(c, id, "")
}

// boardData is the signed-in board page; organisers also see how many
// board links are live, and a new link once, right after making it.
type boardData struct {
	Board
	Links   int
	NewLink string
}

func (h *Handlers) renderBoard(c *gin.Context, id int64, newLink string) {
	d := boardData{NewLink: newLink}
	var err error
	d.Board, err = h.store.Board(c.Request.Context(), id)
	if err == nil && web.IdentityOf(c).Is(web.RoleOrganiser) {
		d.Links, err = h.store.BoardLinks(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/board", "pairing.board_title", d)
}

// meetingFromForm reads the booking form: "slot" is "sessionID@start".
func meetingFromForm(c *gin.Context) (MeetingInput, error) {
	var in MeetingInput
	sid, start, _ := strings.Cut(c.PostForm("slot"), "@")
	var err error
	if in.SessionID, err = strconv.ParseInt(sid, 10, 64); err != nil {
		return in, errForm("slot")
	}
	if in.StartsAt, err = time.Parse(time.RFC3339, start); err != nil {
		return in, errForm("slot")
	}
	t, err := web.FormInt64(c, "table")
	in.Table = int(t)
	return in, err
}
