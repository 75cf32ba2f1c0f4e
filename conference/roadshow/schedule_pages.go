package roadshow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

type scheduleView struct {
	EditionID int64
	Sessions  []Session
	Input     ScheduleInput
	Proposal  *Proposal
	Accept    string // the proposal as JSON, posted back to accept it
	Error     *web.ErrorInfo
}

func (h *Handlers) schedulePage(c *gin.Context) {
	h.renderSchedule(c, http.StatusOK, ScheduleInput{PitchMinutes: 10, ChangeoverMinutes: 2}, nil, nil)
}

func (h *Handlers) renderSchedule(c *gin.Context, status int, in ScheduleInput, p *Proposal, e *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	v := scheduleView{EditionID: id, Input: in, Proposal: p, Error: e}
	if err == nil {
		v.Sessions, err = h.store.Sessions(c.Request.Context(), id)
	}
	if err == nil && p != nil && len(p.Slots) > 0 {
		var acc AcceptInput
		for _, ps := range p.Slots {
			acc.Slots = append(acc.Slots, acceptSlot(ps))
		}
		var b []byte
		b, err = json.Marshal(acc)
		v.Accept = string(b)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "roadshow/schedule", "roadshow.schedule_title", v)
}

func (h *Handlers) proposeForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	pitch, _ := strconv.Atoi(c.PostForm("pitch_minutes"))
	change, _ := strconv.Atoi(c.PostForm("changeover_minutes"))
	in := ScheduleInput{SessionIDs: parseIDs(c.PostFormArray("session_ids")), PitchMinutes: pitch, ChangeoverMinutes: change}
	p, err := h.store.Propose(c.Request.Context(), id, in)
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSchedule(c, status, in, nil, info)
		}
		return
	}
	h.renderSchedule(c, http.StatusOK, in, &p, nil)
}

func (h *Handlers) acceptForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in AcceptInput
	if err := json.Unmarshal([]byte(c.PostForm("proposal")), &in); err != nil {
		h.site.Fail(c, apperr.New(apperr.Malformed, "roadshow.proposal_unreadable"))
		return
	}
	if _, err := h.store.Accept(c.Request.Context(), id, in); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderSchedule(c, status, ScheduleInput{PitchMinutes: 10, ChangeoverMinutes: 2}, nil, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/roadshow", id), "roadshow.schedule_accepted")
}
