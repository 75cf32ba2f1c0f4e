package pairing

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

func errForm(field string) error { return apperr.Field(field, "pairing.field_invalid", nil) }

// Row is one slot of a session's schedule: its start and the meeting at
// each table (nil where the table is free).
type Row struct {
	StartsAt time.Time
	Tables   []*SessionMeeting
}

// Participant is one party's (a project's) meetings in a session.
type Participant struct {
	Title      string
	Delegation string
	Presenter  string
	Meetings   []SessionMeeting
}

type sessionData struct {
	Session      Session
	Rows         []Row
	Participants []Participant
	Result       *ScheduleResult
}

func (h *Handlers) loadSession(c *gin.Context) (sessionData, error) {
	id, err := web.ParamID(c, "id")
	var d sessionData
	if err == nil {
		d.Session, err = h.store.Session(c.Request.Context(), id)
	}
	var ms []SessionMeeting
	if err == nil {
		ms, err = h.store.SessionMeetings(c.Request.Context(), id)
	}
	if err != nil {
		return d, err
	}
	who := web.IdentityOf(c)
	for i := range d.Session.Slots() {
		d.Rows = append(d.Rows, Row{StartsAt: d.Session.SlotStart(i), Tables: make([]*SessionMeeting, d.Session.Tables)})
	}
	parts := map[int64]*Participant{}
	for i := range ms {
		m := &ms[i]
		if !canSee(who, m.Pairing) {
			continue
		}
		if slot, ok := d.Session.SlotAt(m.StartsAt); ok && m.Table <= d.Session.Tables {
			d.Rows[slot].Tables[m.Table-1] = m
		}
		for _, s := range []Side{m.Pairing.Demand, m.Pairing.Supply} {
			if parts[s.ID] == nil {
				parts[s.ID] = &Participant{Title: s.Title, Delegation: s.Delegation, Presenter: s.ContactName}
			}
			parts[s.ID].Meetings = append(parts[s.ID].Meetings, *m)
		}
	}
	for _, p := range parts {
		d.Participants = append(d.Participants, *p)
	}
	sort.Slice(d.Participants, func(i, j int) bool {
		a, b := d.Participants[i], d.Participants[j]
		return a.Delegation < b.Delegation || a.Delegation == b.Delegation && a.Title < b.Title
	})
	return d, nil
}

func (h *Handlers) sessionPage(c *gin.Context) {
	d, err := h.loadSession(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/session", "pairing.session_title", d)
}

func (h *Handlers) participantsPage(c *gin.Context) {
	d, err := h.loadSession(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/participants", "pairing.participants_title", d)
}

func (h *Handlers) scheduleForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var res ScheduleResult
	if err == nil {
		res, err = h.store.AutoSchedule(c.Request.Context(), id)
	}
	var d sessionData
	if err == nil {
		d, err = h.loadSession(c)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Result = &res
	h.site.HTML(c, http.StatusOK, "pairing/session", "pairing.session_title", d)
}
