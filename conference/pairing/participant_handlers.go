package pairing

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// registerParticipant adds the participant links' routes: the link's own
// (no sign-in: the token is the credential), the issuing ones for the
// project's delegation and the hall's staff, and the coordinator's view of
// every request.
func (h *Handlers) registerParticipant(r *gin.Engine) {
	manage, propose := h.site.Require(managers...), h.site.Require(proposers...)
	api := r.Group("/api/v1")
	api.POST("/projects/:id/participant-link", propose, h.apiCreateLink)
	api.DELETE("/projects/:id/participant-link", propose, h.apiRevokeLink)
	p := api.Group("/participant/:token", noStore)
	p.GET("", h.apiParticipant)
	p.GET("/counterparts", h.apiCounterparts)
	p.POST("/requests", h.apiRequestMeeting)
	p.POST("/requests/:rid/accept", h.apiAnswer(true))
	p.POST("/requests/:rid/decline", h.apiAnswer(false))
	p.POST("/requests/:rid/withdraw", h.apiWithdraw)
	p.PUT("/availability", h.apiAvailability)
	p.POST("/pairings/:pid/outcome", h.apiOutcome)
	p.GET("/schedule.ics", h.scheduleICS)
	api.GET("/editions/:id/participant-requests", manage, h.apiRequests)
	api.GET("/editions/:id/participant-outcomes", manage, h.apiOutcomes)
	api.POST("/participant-requests/:id/accept", manage, h.apiCoordinatorAnswer(true))
	api.POST("/participant-requests/:id/decline", manage, h.apiCoordinatorAnswer(false))
	api.POST("/participant-requests/:id/withdraw", manage, h.apiCoordinatorWithdraw)
	api.POST("/participant-requests/:id/place", manage, h.apiPlace)
	h.registerParticipantPages(r)
}

// noStore keeps a link's answers out of caches and its address out of the
// Referer of links followed from its pages.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("X-Robots-Tag", "noindex")
	c.Next()
}

// mayIssue checks that the caller may issue or revoke the :id project's
// link: the hall's staff, or the project's own delegation.
func (h *Handlers) mayIssue(c *gin.Context) (int64, error) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		if who := web.IdentityOf(c); who.Is(web.RoleDelegation) {
			err = h.store.ownProject(c.Request.Context(), id, who.DelegationID)
		}
	}
	return id, err
}

// publicBase is the site's public address, for links read outside it.
func (h *Handlers) publicBase(c *gin.Context) string {
	if h.site.BaseURL != "" {
		return h.site.BaseURL
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// apiCreateLink answers the new link; with {"send": true} it also texts
// it to the project's contact.
func (h *Handlers) apiCreateLink(c *gin.Context) {
	id, err := h.mayIssue(c)
	var in struct {
		Send bool `json:"send"`
	}
	if err == nil && c.Request.ContentLength > 0 {
		err = web.BindJSON(c, &in)
	}
	var token string
	if err == nil {
		token, err = h.store.CreateLink(c.Request.Context(), id, web.IdentityOf(c), h.sendTo(c, in.Send))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"url": h.publicBase(c) + ParticipantPath(token), "project_id": id, "sent": in.Send})
}

// sendTo makes the link's URL for the message when the caller asked for
// it to be sent; nil otherwise.
func (h *Handlers) sendTo(c *gin.Context, send bool) func(string) string {
	if !send {
		return nil
	}
	base := h.publicBase(c)
	return func(token string) string { return base + ParticipantPath(token) }
}

func (h *Handlers) apiRevokeLink(c *gin.Context) {
	id, err := h.mayIssue(c)
	if err == nil {
		err = h.store.RevokeLink(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// link resolves the :token of the route.
func (h *Handlers) link(c *gin.Context) (Link, error) {
	return h.store.LinkByToken(c.Request.Context(), c.Param("token"))
}

func (h *Handlers) apiParticipant(c *gin.Context) {
	l, err := h.link(c)
	var v ParticipantView
	if err == nil {
		v, err = h.store.Participant(c.Request.Context(), l.ProjectID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// apiCounterparts answers the recommended counterparts, or with q the
// projects of the other side whose title, organisation or keywords hold q.
func (h *Handlers) apiCounterparts(c *gin.Context) {
	l, err := h.link(c)
	var cs []Counterpart
	if err == nil && c.Query("q") != "" {
		cs, err = h.store.Counterparts(c.Request.Context(), l.ProjectID, c.Query("q"))
	} else if err == nil {
		cs, err = h.store.Recommended(c.Request.Context(), h.rec, l.ProjectID, 10)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": cs})
}

func (h *Handlers) apiRequestMeeting(c *gin.Context) {
	l, err := h.link(c)
	var in NewRequest
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var r Request
	if err == nil {
		r, err = h.store.RequestMeeting(c.Request.Context(), l.ProjectID, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
}

// answerInput is the body of an accept or a decline.
type answerInput struct {
	Reason string `json:"reason"`
}

// bindAnswer reads the optional body of an accept or decline.
func bindAnswer(c *gin.Context) (answerInput, error) {
	var in answerInput
	if c.Request.ContentLength == 0 {
		return in, nil
	}
	return in, web.BindJSON(c, &in)
}

func (h *Handlers) apiAnswer(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		l, err := h.link(c)
		var id int64
		if err == nil {
			id, err = web.ParamID(c, "rid")
		}
		var in answerInput
		if err == nil {
			in, err = bindAnswer(c)
		}
		var r Request
		if err == nil {
			r, err = h.store.AnswerRequest(c.Request.Context(), id, accept, in.Reason, Answerer{ProjectID: l.ProjectID})
		}
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		c.JSON(http.StatusOK, r)
	}
}

// AvailabilityInput is the half-days a participant is at the hall.
type AvailabilityInput struct {
	HalfDays []time.Time `json:"half_days"`
}

func (h *Handlers) apiAvailability(c *gin.Context) {
	l, err := h.link(c)
	var in AvailabilityInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var got []time.Time
	if err == nil {
		got, err = h.store.SetAvailability(c.Request.Context(), l.ProjectID, in.HalfDays)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, AvailabilityInput{HalfDays: inChina(got)})
}

// inChina shows times in Beijing time, as the half-days are named.
func inChina(ts []time.Time) []time.Time {
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = t.In(china)
	}
	return out
}

func (h *Handlers) apiOutcome(c *gin.Context) {
	l, err := h.link(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "pid")
	}
	var in struct {
		Outcome string `json:"outcome"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Pairing
	if err == nil {
		p, err = h.store.ReportOutcome(c.Request.Context(), id, l.ProjectID, in.Outcome)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"pairing_id": p.ID, "stage": p.Stage, "outcome": in.Outcome})
}

// scheduleICS answers the link's meetings as a calendar file.
func (h *Handlers) scheduleICS(c *gin.Context) {
	l, err := h.link(c)
	var v ParticipantView
	if err == nil {
		v, err = h.store.Participant(c.Request.Context(), l.ProjectID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	tr := h.site.L(c)
	host := "huizhan"
	if u, err := url.Parse(h.publicBase(c)); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	events := make([]ICSEvent, len(v.Schedule))
	for i, e := range v.Schedule {
		args := map[string]any{"Title": e.Counterpart.Title, "Table": e.Table, "Room": e.Room,
			"Organisation": e.Counterpart.Organisation, "Delegation": e.Counterpart.Delegation, "Session": e.Session}
		events[i] = ICSEvent{UID: meetingUID(e.PairingID, host), Stamp: e.CreatedAt, Start: e.StartsAt, End: e.EndsAt,
			Summary: tr.T("participant.ics_summary", args), Location: tr.T("participant.ics_location", args),
			Description: tr.T("participant.ics_description", args)}
	}
	name := tr.T("participant.ics_name", map[string]any{"Title": v.Project.Title})
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="schedule-%d.ics"`, v.Project.ID))
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", ICS(name, events))
}

func (h *Handlers) apiRequests(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var pg web.Paging
	if err == nil {
		pg, err = web.ParsePaging(c)
	}
	f, err2 := requestFilter(c)
	if err == nil {
		err = err2
	}
	var rs []Request
	var total int
	if err == nil {
		rs, total, err = h.store.Requests(c.Request.Context(), id, f, pg)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(rs, total, pg))
}

func requestFilter(c *gin.Context) (RequestFilter, error) {
	f := RequestFilter{State: c.Query("state"), Queued: c.Query("queued") == "true"}
	switch f.State {
	case "", RequestOpen, RequestAccepted, RequestDeclined, RequestWithdrawn:
		return f, nil
	}
	return f, apperr.Field("state", "participant.state_invalid", nil)
}

func (h *Handlers) apiCoordinatorAnswer(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := web.ParamID(c, "id")
		var in answerInput
		if err == nil {
			in, err = bindAnswer(c)
		}
		var r Request
		if err == nil {
			r, err = h.store.AnswerRequest(c.Request.Context(), id, accept, in.Reason, Answerer{Identity: web.IdentityOf(c)})
		}
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		c.JSON(http.StatusOK, r)
	}
}

func (h *Handlers) apiPlace(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var r Request
	if err == nil {
		r, err = h.store.PlaceQueued(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (h *Handlers) apiOutcomes(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	limit := 50
	if err == nil {
		limit, err = queryInt(c, "limit", 50, 200)
	}
	var os []OutcomeReport
	if err == nil {
		os, err = h.store.RecentOutcomes(c.Request.Context(), id, limit)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": os})
}

func (h *Handlers) apiWithdraw(c *gin.Context) {
	l, err := h.link(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "rid")
	}
	var r Request
	if err == nil {
		r, err = h.store.Withdraw(c.Request.Context(), id, l.ProjectID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// apiCoordinatorWithdraw takes back an open request for the side that asked.
func (h *Handlers) apiCoordinatorWithdraw(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var r Request
	if err == nil {
		r, err = h.store.WithdrawFor(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
