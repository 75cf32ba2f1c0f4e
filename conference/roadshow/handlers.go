package roadshow

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Handlers serve sessions, slots, the agenda and scoring as JSON and pages.
type Handlers struct {
	site  *web.Site
	store *Store
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, store *Store) *Handlers {
	return &Handlers{site: site, store: store}
}

// Register adds the routes. The released agenda and its feed are public;
// judges score through their account or their link; the rest is for
// organisers.
func (h *Handlers) Register(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	signed := h.site.SignedIn()
	api := r.Group("/api/v1")
	api.GET("/editions/:id/sessions", signed, h.apiSessions)
	api.POST("/editions/:id/sessions", org, h.apiCreateSession)
	api.GET("/sessions/:id", signed, h.apiSession)
	api.DELETE("/sessions/:id", org, h.apiDeleteSession)
	api.GET("/sessions/:id/slots", signed, h.apiSlots)
	api.POST("/sessions/:id/slots", org, h.apiCreateSlot)
	api.PUT("/sessions/:id/slots/order", org, h.apiReorder)
	api.PATCH("/slots/:id", org, h.apiUpdateSlot)
	api.DELETE("/slots/:id", org, h.apiDeleteSlot)
	api.POST("/editions/:id/schedule", org, h.apiPropose)
	api.POST("/editions/:id/schedule/accept", org, h.apiAccept)
	api.GET("/editions/:id/agenda", h.apiAgenda)
	api.GET("/editions/:id/agenda.ics", h.agendaICS)
	api.GET("/editions/:id/releases", org, h.apiReleases)
	api.POST("/editions/:id/releases", org, h.apiPublish)
	h.registerJudging(api, org, signed)
	h.registerEditing(r, api, org, signed)
	h.registerPages(r, org, signed)
}

func (h *Handlers) apiSessions(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	ss, err := h.store.Sessions(c.Request.Context(), id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(ss))
}

func (h *Handlers) apiCreateSession(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in SessionInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	s, err := h.store.CreateSession(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, s)
}

func (h *Handlers) apiSession(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	s, err := h.store.Session(c.Request.Context(), id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s)
}

func (h *Handlers) apiDeleteSession(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.DeleteSession(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handlers) apiSlots(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if _, err := h.store.Session(c.Request.Context(), id); err != nil {
		h.site.Fail(c, err)
		return
	}
	slots, err := h.store.Slots(c.Request.Context(), id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(h.localize(c, slots)))
}

// localize fills each warning's message in the reader's language.
func (h *Handlers) localize(c *gin.Context, slots []Slot) []Slot {
	l := h.site.L(c)
	for i := range slots {
		for j := range slots[i].Warnings {
			w := &slots[i].Warnings[j]
			w.Message = l.T(w.Key, w.Args)
		}
		if slots[i].Warnings == nil {
			slots[i].Warnings = Clashes{}
		}
	}
	if slots == nil {
		return []Slot{}
	}
	return slots
}

func (h *Handlers) apiCreateSlot(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in SlotInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	sl, err := h.store.CreateSlot(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.localize(c, []Slot{sl})[0])
}

func (h *Handlers) apiUpdateSlot(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in SlotInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	sl, err := h.store.UpdateSlot(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.localize(c, []Slot{sl})[0])
}

func (h *Handlers) apiDeleteSlot(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.DeleteSlot(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handlers) apiReorder(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in struct {
		SlotIDs []int64 `json:"slot_ids"`
	}
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	slots, err := h.store.Reorder(c.Request.Context(), id, in.SlotIDs)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(h.localize(c, slots)))
}

func (h *Handlers) apiPropose(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in ScheduleInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	p, err := h.store.Propose(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *Handlers) apiAccept(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in AcceptInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	slots, err := h.store.Accept(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, all(h.localize(c, slots)))
}

// agenda is the released agenda, or for an organiser who asks with
// ?draft=true, the agenda as it stands.
func (h *Handlers) agenda(c *gin.Context) (Agenda, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Agenda{}, err
	}
	if c.Query("draft") == "true" {
		if !web.IdentityOf(c).Is(web.RoleOrganiser) {
			return Agenda{}, apperr.New(apperr.Forbidden, "error.forbidden")
		}
		if err := h.store.editionExists(c.Request.Context(), h.store.db.R, id); err != nil {
			return Agenda{}, err
		}
		return h.store.Draft(c.Request.Context(), id)
	}
	return h.store.Published(c.Request.Context(), id)
}

func (h *Handlers) apiAgenda(c *gin.Context) {
	a, err := h.agenda(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (h *Handlers) agendaICS(c *gin.Context) {
	a, err := h.agenda(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	host := strings.TrimPrefix(strings.TrimPrefix(h.site.BaseURL, "https://"), "http://")
	if host == "" {
		host = "huizhan"
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="agenda-%d.ics"`, a.EditionID))
	c.Status(http.StatusOK)
	c.Header("Content-Type", "text/calendar; charset=utf-8")
	if err := WriteICS(c.Writer, a, h.site.L(c).T("roadshow.ics_name", map[string]any{"Release": a.Release}), host); err != nil {
		h.site.Log.Error("write ics", "err", err)
	}
}

func (h *Handlers) apiReleases(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	rs, err := h.store.Releases(c.Request.Context(), id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(rs))
}

func (h *Handlers) apiPublish(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	who := web.IdentityOf(c).UserID
	a, err := h.store.Publish(c.Request.Context(), id, &who)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

// all wraps a whole (unpaged) list in the API's list shape.
func all[T any](items []T) web.List[T] {
	return web.NewList(items, len(items), web.Paging{Page: 1, PerPage: max(len(items), 1)})
}
