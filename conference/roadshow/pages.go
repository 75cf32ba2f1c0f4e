package roadshow

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

func (h *Handlers) registerPages(r *gin.Engine, org, signed gin.HandlerFunc) {
	r.GET("/roadshow", org, h.latest("roadshow"))
	r.GET("/agenda", h.latest("agenda"))
	r.GET("/editions/:id/roadshow", org, h.editionPage)
	r.POST("/editions/:id/sessions", org, h.createSessionForm)
	r.POST("/editions/:id/releases", org, h.publishForm)
	r.GET("/editions/:id/agenda", h.agendaPage)
	r.GET("/editions/:id/schedule", org, h.schedulePage)
	r.POST("/editions/:id/schedule", org, h.proposeForm)
	r.POST("/editions/:id/schedule/accept", org, h.acceptForm)
	r.GET("/sessions/:id", org, h.sessionPage)
	r.POST("/sessions/:id/slots", org, h.createSlotForm)
	r.POST("/sessions/:id/judges", org, h.inviteJudgeForm)
	r.POST("/slots/:id/delete", org, h.deleteSlotForm)
	r.GET("/sessions/:id/judge", signed, h.accountJudgePage)
	r.POST("/sessions/:id/judge/slots/:slot", signed, h.accountScoreForm)
	r.GET("/judge/:token", h.linkJudgePage)
	r.POST("/judge/:token/slots/:slot", h.linkScoreForm)
}

// latest sends /roadshow and /agenda to the newest edition's page.
func (h *Handlers) latest(page string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := h.store.LatestEdition(c.Request.Context())
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		if id == 0 {
			h.site.Fail(c, apperr.New(apperr.NotFound, "edition.not_found"))
			return
		}
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/editions/%d/%s", id, page))
	}
}

// localTime reads a datetime-local form value, typed in Beijing time.
func localTime(v string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), China)
	if err != nil {
		return time.Time{}
	}
	return t
}

type editionView struct {
	EditionID int64
	Sessions  []Session
	Releases  []Release
	Kinds     []string
	Form      map[string]string
	Error     *web.ErrorInfo
}

func (h *Handlers) editionPage(c *gin.Context) { h.renderEdition(c, http.StatusOK, nil, nil) }

func (h *Handlers) renderEdition(c *gin.Context, status int, form map[string]string, e *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	v := editionView{EditionID: id, Kinds: Kinds, Form: form, Error: e}
	if err == nil {
		v.Sessions, err = h.store.Sessions(c.Request.Context(), id)
	}
	if err == nil {
		v.Releases, err = h.store.Releases(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "roadshow/edition", "roadshow.title", v)
}

func (h *Handlers) createSessionForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form := map[string]string{}
	for _, f := range []string{"title", "kind", "room", "starts_at", "ends_at"} {
		form[f] = c.PostForm(f)
	}
	in := SessionInput{Title: form["title"], Kind: form["kind"], Room: form["room"],
		StartsAt: localTime(form["starts_at"]), EndsAt: localTime(form["ends_at"])}
	s, err := h.store.CreateSession(c.Request.Context(), id, in)
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderEdition(c, status, form, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/sessions/%d", s.ID), "roadshow.session_created")
}

func (h *Handlers) publishForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	who := web.IdentityOf(c).UserID
	if _, err := h.store.Publish(c.Request.Context(), id, &who); err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/agenda", id), "roadshow.released")
}

func (h *Handlers) agendaPage(c *gin.Context) {
	a, err := h.agenda(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "roadshow/agenda", "roadshow.agenda_title", a)
}

type sessionView struct {
	Session  Session
	Slots    []Slot
	Projects []projectOption
	Judges   []Judge
	Ranking  []Ranked
	NewLink  string
	// EditSlot is the slot whose edit form was refused; EditForm and
	// EditError re-fill that form and show the clash beside it.
	EditSlot  int64
	EditForm  map[string]string
	EditError *web.ErrorInfo
	Next      [2]string // the form's default start and end: after the last slot
	Form      map[string]string
	Error     *web.ErrorInfo
}

type projectOption struct {
	ID         int64  `db:"id"`
	Title      string `db:"title"`
	Delegation string `db:"delegation"`
	Status     string `db:"status"`
	Presenter  string `db:"presenter"`
}

func (h *Handlers) sessionPage(c *gin.Context) { h.renderSession(c, http.StatusOK, nil, nil, "") }

func (h *Handlers) renderSession(c *gin.Context, status int, form map[string]string, e *web.ErrorInfo, link string) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderSessionView(c, status, id, sessionView{Form: form, Error: e, NewLink: link})
}

// renderSessionView fills v with session id's slots, projects, judges and
// ranking and renders the organiser's session page.
func (h *Handlers) renderSessionView(c *gin.Context, status int, id int64, v sessionView) {
	ctx := c.Request.Context()
	var err error
	v.Session, err = h.store.Session(ctx, id)
	if err == nil {
		v.Slots, err = h.store.Slots(ctx, id)
	}
	if err == nil {
		err = h.store.db.R.SelectContext(ctx, &v.Projects, `SELECT p.id, p.title, d.name AS delegation, p.status,
			COALESCE(NULLIF(TRIM(p.contact_name), ''), p.organisation) AS presenter
			FROM projects p JOIN delegations d ON d.id = p.delegation_id
			WHERE p.edition_id = ? AND p.status IN ('reviewed', 'selected') ORDER BY p.status DESC, d.name, p.id`,
			v.Session.EditionID)
	}
	if err == nil {
		v.Judges, err = h.store.Judges(ctx, id)
	}
	if err == nil {
		v.Ranking, err = h.store.Ranking(ctx, id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	v.Slots = h.localize(c, v.Slots)
	next := v.Session.StartsAt
	if n := len(v.Slots); n > 0 {
		next = v.Slots[n-1].EndsAt
	}
	const local = "2006-01-02T15:04"
	v.Next = [2]string{next.In(China).Format(local), next.Add(10 * time.Minute).In(China).Format(local)}
	h.site.HTML(c, status, "roadshow/session", "roadshow.session_title", v)
}

// readSlotForm reads a slot form: the values as typed, to show the form
// again after a clash, and the input they make. A project ID that is not a
// number reads as none, which the store refuses with a field error.
func readSlotForm(c *gin.Context) (map[string]string, SlotInput) {
	form := map[string]string{}
	for _, f := range []string{"project_id", "presenter", "starts_at", "ends_at"} {
		form[f] = c.PostForm(f)
	}
	pid, _ := strconv.ParseInt(form["project_id"], 10, 64)
	return form, SlotInput{ProjectID: pid, Presenter: form["presenter"],
		StartsAt: localTime(form["starts_at"]), EndsAt: localTime(form["ends_at"])}
}

func (h *Handlers) createSlotForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	form, in := readSlotForm(c)
	if _, err := h.store.CreateSlot(c.Request.Context(), id, in); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSession(c, status, form, info, "")
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/sessions/%d", id), "roadshow.slot_created")
}

func (h *Handlers) deleteSlotForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var sl Slot
	if err == nil {
		sl, err = h.store.Slot(c.Request.Context(), id)
	}
	if err == nil {
		err = h.store.DeleteSlot(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/sessions/%d", sl.SessionID), "roadshow.slot_deleted")
}

func (h *Handlers) inviteJudgeForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	uid, _ := strconv.ParseInt(strings.TrimSpace(c.PostForm("user_id")), 10, 64)
	j, err := h.store.InviteJudge(c.Request.Context(), id, JudgeInput{Name: c.PostForm("name"), UserID: uid})
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSession(c, status, nil, info, "")
		}
		return
	}
	link := ""
	if j.Token != "" {
		link = h.site.BaseURL + "/judge/" + j.Token
	}
	// The link is shown once, on this page: only its hash is kept.
	h.renderSession(c, http.StatusOK, nil, nil, link)
}
