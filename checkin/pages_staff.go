package checkin

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// StaffOption is a staff account offered on the assignment page.
type StaffOption struct {
	ID       int64  `db:"id"`
	Username string `db:"username"`
	Chosen   bool   `db:"-"`
}

// staffAccounts lists the active staff accounts, marking those in chosen.
func (s *Store) staffAccounts(ctx context.Context, chosen []int64) ([]StaffOption, error) {
	var os []StaffOption
	err := s.db.R.SelectContext(ctx, &os, `SELECT id, username FROM users WHERE role = 'staff' AND NOT disabled ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list staff accounts: %w", err)
	}
	for i := range os {
		os[i].Chosen = slices.Contains(chosen, os[i].ID)
	}
	return os, nil
}

type staffData struct {
	Checkpoint Checkpoint
	Staff      []StaffOption
	Error      *web.ErrorInfo
}

// staffPage shows which staff accounts are limited to a checkpoint, with a
// form to change the list.
func (h *Handlers) staffPage(c *gin.Context) { h.showStaff(c, http.StatusOK, nil) }

func (h *Handlers) showStaff(c *gin.Context, status int, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := staffData{Error: info}
	var chosen []int64
	if err == nil {
		d.Checkpoint, err = h.store.Checkpoint(ctx, id)
	}
	if err == nil {
		chosen, err = h.store.Staff(ctx, id)
	}
	if err == nil {
		d.Staff, err = h.store.staffAccounts(ctx, chosen)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "checkin/staff", "checkin.staff_title", d)
}

func (h *Handlers) staffForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ids []int64
	for _, v := range c.PostFormArray("user_ids") {
		if n, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			ids = append(ids, n)
		}
	}
	var cp Checkpoint
	if err == nil {
		if cp, err = h.store.Checkpoint(c.Request.Context(), id); err == nil {
			err = h.store.SetStaff(c.Request.Context(), id, ids)
		}
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showStaff(c, status, info)
		}
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(cp.EditionID, 10)+"/checkpoints", "checkin.staff_saved")
}
