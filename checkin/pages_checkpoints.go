package checkin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

type checkpointsData struct {
	Edition     conference.Edition
	Checkpoints []Checkpoint
	Kinds       []string
	Rules       []string
	Categories  []string
	Form        CheckpointInput
	Error       *web.ErrorInfo
}

func (h *Handlers) checkpointsPage(c *gin.Context) {
	h.showCheckpoints(c, http.StatusOK, CheckpointInput{Kind: "gate"}, nil)
}

func (h *Handlers) showCheckpoints(c *gin.Context, status int, form CheckpointInput, info *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	d := checkpointsData{Kinds: Kinds, Rules: Rules, Categories: Categories, Form: form, Error: info}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Checkpoints, err = h.store.Checkpoints(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "checkin/checkpoints", "checkin.checkpoints_title", d)
}

// readCheckpointForm parses the form; times are typed in Beijing time.
func readCheckpointForm(c *gin.Context) (CheckpointInput, error) {
	in := CheckpointInput{Name: c.PostForm("name"), Kind: c.PostForm("kind"), Rule: c.PostForm("rule"),
		Categories: CategoryList(c.PostFormArray("categories")), Direction: c.PostForm("direction"),
		Rehearsal: c.PostForm("rehearsal") == "1"}
	var bad []apperr.Detail
	if b, err := web.FormInt64(c, "booth_id"); err != nil {
		bad = append(bad, apperr.Detail{Field: "booth_id", Key: "error.not_a_number"})
	} else if b > 0 {
		in.BoothID = &b
	}
	if s, err := web.FormInt64(c, "session_id"); err != nil {
		bad = append(bad, apperr.Detail{Field: "session_id", Key: "error.not_a_number"})
	} else if s > 0 {
		in.SessionID = &s
	}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"opens_at", &in.OpensAt}, {"closes_at", &in.ClosesAt}} {
		v := strings.TrimSpace(c.PostForm(f.name))
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02T15:04", v, china)
		if err != nil {
			bad = append(bad, apperr.Detail{Field: f.name, Key: "checkin.time_format"})
			continue
		}
		*f.dst = &t
	}
	if len(bad) > 0 {
		return in, apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(bad...)
	}
	return in, nil
}

func (h *Handlers) createCheckpointForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	in, ferr := readCheckpointForm(c)
	if err == nil {
		err = ferr
	}
	if err == nil {
		_, err = h.store.CreateCheckpoint(c.Request.Context(), id, in)
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showCheckpoints(c, status, in, info)
		}
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/checkpoints", "checkin.checkpoint_created")
}

// rehearsalForm puts a checkpoint in or out of rehearsal.
func (h *Handlers) rehearsalForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	on := c.PostForm("rehearsal") == "1"
	var cp Checkpoint
	if err == nil {
		cp, err = h.store.PatchCheckpoint(c.Request.Context(), id, CheckpointPatch{Rehearsal: &on})
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	flash := "station.rehearsal_ended"
	if on {
		flash = "station.rehearsal_started"
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(cp.EditionID, 10)+"/checkpoints", flash)
}

type statsData struct {
	Edition conference.Edition
	Stats   Stats
}

func (h *Handlers) statsPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d statsData
	if err == nil {
		d.Edition, err = h.store.editions.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Stats, err = h.store.Stats(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "checkin/stats", "checkin.stats_title", d)
}
