package pairing

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

func (h *Handlers) apiRespond(c *gin.Context) {
	p, err := h.visiblePairing(c)
	var in struct {
		Accept bool `json:"accept"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	if err == nil {
		p, err = h.store.Respond(c.Request.Context(), p.ID, in.Accept, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *Handlers) apiStage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in StageInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Pairing
	if err == nil {
		p, err = h.store.SetStage(c.Request.Context(), id, in, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *Handlers) apiBook(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in MeetingInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var m Meeting
	if err == nil {
		m, err = h.store.Book(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, m)
}

func (h *Handlers) apiCancel(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.Cancel(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"cancelled": true})
}

func (h *Handlers) apiCeremony(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ps []Pairing
	if err == nil {
		ps, err = h.store.Ceremony(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if ps == nil {
		ps = []Pairing{}
	}
	c.JSON(http.StatusOK, gin.H{"items": ps})
}

func (h *Handlers) apiCeremonyPosition(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		Position *int `json:"position"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Pairing
	if err == nil {
		p, err = h.store.SetCeremonyPosition(c.Request.Context(), id, in.Position)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *Handlers) apiSessionMeetings(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ms []SessionMeeting
	if err == nil {
		if _, err = h.store.Session(c.Request.Context(), id); err == nil {
			ms, err = h.store.SessionMeetings(c.Request.Context(), id)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	who := web.IdentityOf(c)
	items := []SessionMeeting{}
	for _, m := range ms {
		if canSee(who, m.Pairing) {
			items = append(items, m)
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (h *Handlers) apiAutoSchedule(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var res ScheduleResult
	if err == nil {
		res, err = h.store.AutoSchedule(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
