package pairing

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

func (h *Handlers) registerParticipantPages(r *gin.Engine) {
	manage, propose := h.site.Require(managers...), h.site.Require(proposers...)
	p := r.Group("/participant/:token", noStore)
	p.GET("", h.participantPage)
	p.POST("/requests", h.requestForm)
	p.POST("/requests/:rid/accept", h.answerForm(true))
	p.POST("/requests/:rid/decline", h.answerForm(false))
	p.POST("/requests/:rid/withdraw", h.withdrawForm)
	p.POST("/availability", h.availabilityForm)
	p.POST("/pairings/:pid/outcome", h.outcomeForm)
	r.GET("/projects/:id/participant-link", propose, h.linkPage)
	r.POST("/projects/:id/participant-link", propose, noStore, h.linkCreateForm)
	r.POST("/projects/:id/participant-link/revoke", propose, h.linkRevokeForm)
	r.GET("/editions/:id/pairing/requests", manage, h.requestsPage)
	r.POST("/participant-requests/:id/accept", manage, h.coordinatorAnswerForm(true))
	r.POST("/participant-requests/:id/decline", manage, h.coordinatorAnswerForm(false))
	r.POST("/participant-requests/:id/withdraw", manage, h.coordinatorWithdrawForm)
	r.POST("/participant-requests/:id/place", manage, h.placeForm)
}

type participantData struct {
	Token       string
	View        ParticipantView
	Recommended []Counterpart
	Query       string
	Found       []Counterpart
	Asked       map[int64]string // counterpart → state of the latest request or pairing with it
	Now         time.Time
	Error       *web.ErrorInfo
	Outcomes    []string
}

// HalfDayChosen reports whether the participant said they come then.
func (d participantData) HalfDayChosen(t time.Time) bool {
	for _, a := range d.View.Availability {
		if a.Equal(t) {
			return true
		}
	}
	return false
}

// Afternoon reports whether a half-day start is an afternoon.
func (participantData) Afternoon(t time.Time) bool { return t.In(china).Hour() >= 12 }

// Started reports whether a meeting has begun, so its outcome may be told.
func (d participantData) Started(t time.Time) bool { return !d.Now.Before(t) }

func (h *Handlers) participantPage(c *gin.Context) {
	h.showParticipant(c, http.StatusOK, nil)
}

func (h *Handlers) showParticipant(c *gin.Context, status int, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	l, err := h.link(c)
	d := participantData{Token: c.Param("token"), Query: c.Query("q"), Now: time.Now(), Error: info, Outcomes: Outcomes}
	if err == nil {
		d.View, err = h.store.Participant(ctx, l.ProjectID)
	}
	if err == nil {
		d.Recommended, err = h.store.Recommended(ctx, h.rec, l.ProjectID, 10)
	}
	if err == nil && d.Query != "" {
		d.Found, err = h.store.Counterparts(ctx, l.ProjectID, d.Query)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Asked = asked(d.View)
	h.site.HTML(c, status, "pairing/participant", "participant.title", d)
}

// asked maps each counterpart the participant has a request with to where
// it stands, so the page offers no second request.
func asked(v ParticipantView) map[int64]string {
	out := map[int64]string{}
	for i := len(v.Requests) - 1; i >= 0; i-- { // oldest first: the latest wins
		r := v.Requests[i]
		if r.State == RequestWithdrawn {
			continue // asking again is fine
		}
		other := r.ToProjectID
		if r.Direction == "incoming" {
			other = r.FromProjectID
		}
		out[other] = r.State
	}
	for _, e := range v.Schedule {
		out[e.Counterpart.ID] = RequestAccepted
	}
	return out
}

// participantBack answers a participant's form: back to the page, or the
// page again with the mistake.
func (h *Handlers) participantBack(c *gin.Context, err error, flash, anchor string) {
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showParticipant(c, status, info)
		}
		return
	}
	h.site.Redirect(c, ParticipantPath(c.Param("token"))+anchor, flash)
}

func (h *Handlers) requestForm(c *gin.Context) {
	l, err := h.link(c)
	in := NewRequest{Message: c.PostForm("message")}
	if err == nil {
		in.ProjectID, err = strconv.ParseInt(c.PostForm("project_id"), 10, 64)
		if err != nil {
			err = nil // Validate names the missing project
		}
	}
	if err == nil {
		_, err = h.store.RequestMeeting(c.Request.Context(), l.ProjectID, in)
	}
	h.participantBack(c, err, "participant.request_sent", "#requests")
}

func (h *Handlers) answerForm(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		l, err := h.link(c)
		var id int64
		if err == nil {
			id, err = web.ParamID(c, "rid")
		}
		if err == nil {
			_, err = h.store.AnswerRequest(c.Request.Context(), id, accept, c.PostForm("reason"), Answerer{ProjectID: l.ProjectID})
		}
		flash, anchor := "participant.declined", "#requests"
		if accept {
			flash, anchor = "participant.accepted", "#schedule"
		}
		h.participantBack(c, err, flash, anchor)
	}
}

func (h *Handlers) availabilityForm(c *gin.Context) {
	l, err := h.link(c)
	var ts []time.Time
	for _, v := range c.PostFormArray("half_days") {
		t, perr := time.Parse(time.RFC3339, v)
		if perr != nil {
			err = malformedHalfDay(v)
			break
		}
		ts = append(ts, t)
	}
	if err == nil {
		_, err = h.store.SetAvailability(c.Request.Context(), l.ProjectID, ts)
	}
	h.participantBack(c, err, "participant.availability_saved", "#availability")
}

func malformedHalfDay(v string) error {
	return apperr.Field("half_days", "participant.half_day_unknown", map[string]any{"Time": v})
}

func (h *Handlers) outcomeForm(c *gin.Context) {
	l, err := h.link(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "pid")
	}
	if err == nil {
		_, err = h.store.ReportOutcome(c.Request.Context(), id, l.ProjectID, c.PostForm("outcome"))
	}
	h.participantBack(c, err, "participant.outcome_saved", "#schedule")
}

type linkData struct {
	Project Side
	Link    *Link
	URL     string       // only right after issuing: the token is not kept
	QR      template.URL // data: URL of the link's QR code, for printing (made here, so safe)
}

func (h *Handlers) linkPage(c *gin.Context) { h.showLink(c, "") }

func (h *Handlers) showLink(c *gin.Context, url string) {
	ctx := c.Request.Context()
	id, err := h.mayIssue(c)
	d := linkData{URL: url}
	if err == nil {
		var v ParticipantView
		v, err = h.store.Participant(ctx, id)
		d.Project = v.Project
	}
	if err == nil {
		d.Link, err = h.store.LiveLink(ctx, id)
	}
	if err == nil && url != "" {
		var png []byte
		png, err = qrcode.Encode(url, qrcode.Medium, 320)
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)) //nolint:gosec // our own PNG
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/participant_link", "participant.link_title", d)
}

func (h *Handlers) linkCreateForm(c *gin.Context) {
	id, err := h.mayIssue(c)
	var token string
	if err == nil {
		token, err = h.store.CreateLink(c.Request.Context(), id, web.IdentityOf(c), h.sendTo(c, c.PostForm("send") != ""))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.showLink(c, h.publicBase(c)+ParticipantPath(token))
}

func (h *Handlers) linkRevokeForm(c *gin.Context) {
	id, err := h.mayIssue(c)
	if err == nil {
		err = h.store.RevokeLink(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/projects/%d/participant-link", id), "participant.link_revoked")
}

type requestsData struct {
	EditionID int64
	Edition   string
	Requests  web.List[Request]
	Filter    RequestFilter
	Outcomes  []OutcomeReport
	Now       time.Time
}

func (h *Handlers) requestsPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := requestsData{EditionID: id, Now: time.Now()}
	var pg web.Paging
	if err == nil {
		pg, err = web.ParsePaging(c)
	}
	if err == nil {
		d.Filter, err = requestFilter(c)
	}
	if err == nil {
		d.Edition, err = h.store.EditionName(ctx, id)
	}
	if err == nil {
		var rs []Request
		var total int
		rs, total, err = h.store.Requests(ctx, id, d.Filter, pg)
		d.Requests = web.NewList(rs, total, pg)
	}
	if err == nil {
		d.Outcomes, err = h.store.RecentOutcomes(ctx, id, 30)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/participant_requests", "participant.requests_title", d)
}

// backToRequests answers a coordinator's form on a request.
func (h *Handlers) backToRequests(c *gin.Context, err error, flash string) {
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	to := web.SafeNext(c.PostForm("next"), "/pairing")
	h.site.Redirect(c, to, flash)
}

func (h *Handlers) coordinatorAnswerForm(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := web.ParamID(c, "id")
		if err == nil {
			_, err = h.store.AnswerRequest(c.Request.Context(), id, accept, c.PostForm("reason"), Answerer{Identity: web.IdentityOf(c)})
		}
		flash := "participant.declined"
		if accept {
			flash = "participant.accepted"
		}
		h.backToRequests(c, err, flash)
	}
}

func (h *Handlers) placeForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.PlaceQueued(c.Request.Context(), id)
	}
	h.backToRequests(c, err, "participant.placed")
}

// cardList is one list of counterparts on the page: what the search found,
// or what the recommender suggests.
type cardList struct {
	Title, Empty string // catalogue keys
	Query        bool
	Items        []Counterpart
}

// Lists are the counterpart lists, the search's first when there was one.
func (d participantData) Lists() []cardList {
	var out []cardList
	if d.Query != "" {
		out = append(out, cardList{Title: "participant.found", Empty: "participant.nothing_found", Query: true, Items: d.Found})
	}
	return append(out, cardList{Title: "participant.recommended", Empty: "participant.no_recommended", Items: d.Recommended})
}

// Clock is a time of day in Beijing time.
func (participantData) Clock(t time.Time) string { return t.In(china).Format("15:04") }

// RFC3339 is a half-day's start as the form sends it back.
func (participantData) RFC3339(t time.Time) string { return t.In(china).Format(time.RFC3339) }

func (h *Handlers) withdrawForm(c *gin.Context) {
	l, err := h.link(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "rid")
	}
	if err == nil {
		_, err = h.store.Withdraw(c.Request.Context(), id, l.ProjectID)
	}
	h.participantBack(c, err, "participant.withdrawn", "#sent")
}

func (h *Handlers) coordinatorWithdrawForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.WithdrawFor(c.Request.Context(), id)
	}
	h.backToRequests(c, err, "participant.withdrawn")
}

// History is the requests the participant made, and those made to them
// that are answered: the ones waiting are listed apart, to answer.
func (d participantData) History() []Request {
	var out []Request
	for _, r := range d.View.Requests {
		if r.Direction == "outgoing" || r.State != RequestOpen {
			out = append(out, r)
		}
	}
	return out
}
