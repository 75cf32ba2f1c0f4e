package checkin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// Handlers serve attendees, badges, checkpoints and scans as JSON and as
// pages.
type Handlers struct {
	site      *web.Site
	store     *Store
	passwords PasswordCheck // nil: only organisers unlock a station
	// leaves limits wrong passwords typed to leave a station, per account:
	// the phone is signed in, and a passer-by could otherwise guess on.
	leaves *forgeLimiter
	reg    *addrLimiter // public registrations per client address
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, store *Store) *Handlers {
	return &Handlers{site: site, store: store, leaves: newForgeLimiter(5, 30*time.Second, time.Now),
		reg: newAddrLimiter(registerMax, registerWindow, time.Now)}
}

// Register adds the routes.
func (h *Handlers) Register(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	readers := h.site.Require(web.RoleOrganiser, web.RoleLeader)
	scanners := h.site.Require(web.RoleOrganiser, web.RoleStaff)
	api := r.Group("/api/v1")
	desk := h.site.Require(web.RoleOrganiser, web.RoleLeader, web.RoleStaff)
	api.GET("/editions/:id/attendees", desk, h.apiListAttendees)
	api.POST("/editions/:id/attendees", h.site.Require(web.RoleOrganiser, web.RoleDelegation), h.apiCreateAttendee)
	api.POST("/editions/:id/attendees/import", org, h.site.ImportSlot(), h.apiImportAttendees)
	api.GET("/editions/:id/attendees/template.xlsx", org, h.apiImportTemplate)
	api.POST("/editions/:id/registrations", h.apiRegister)
	api.POST("/editions/:id/registrations/resend", h.apiResendLinks)
	api.GET("/attendees/:id", desk, h.apiGetAttendee)
	api.GET("/attendees/:id/badge.png", desk, h.apiBadgePNG)
	api.POST("/attendees/:id/reissue", org, h.apiReissue)
	h.registerRegistration(r, org, desk)
	api.GET("/delegations/:id/badges.zip", h.site.Require(web.RoleOrganiser, web.RoleDelegation), h.apiBadgeZip)
	api.GET("/editions/:id/checkpoints", h.site.SignedIn(), h.apiListCheckpoints)
	api.POST("/editions/:id/checkpoints", org, h.apiCreateCheckpoint)
	api.PATCH("/checkpoints/:id", org, h.apiPatchCheckpoint)
	api.GET("/checkpoints/:id/counters", scanners, h.apiCounters)
	api.GET("/checkpoints/:id/staff", org, h.apiGetStaff)
	api.PUT("/checkpoints/:id/staff", org, h.apiSetStaff)
	api.POST("/checkpoints/:id/scans", scanners, h.apiScan)
	api.POST("/checkpoints/:id/scans/batch", scanners, h.apiScanBatch)
	api.GET("/editions/:id/checkins/stats", readers, h.apiStats)
	api.GET("/editions/:id/checkins/live", readers, h.apiLive)
	h.registerPages(r, org, readers, scanners)
	h.registerLeads(r, scanners)
}

func (h *Handlers) badgeURL(code string) string { return h.site.BaseURL + "/b/" + code }

func (h *Handlers) withURL(a Attendee) Attendee {
	a.BadgeURL = h.badgeURL(a.Code)
	return a
}

func (h *Handlers) apiListAttendees(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var p web.Paging
	if err == nil {
		p, err = web.ParsePaging(c)
	}
	var as []Attendee
	var total int
	if err == nil {
		if _, err = h.store.editions.Edition(c.Request.Context(), id); err == nil {
			as, total, err = h.store.Attendees(c.Request.Context(), id, filterOf(c), p)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for i := range as {
		as[i] = h.withURL(as[i])
	}
	c.JSON(http.StatusOK, web.NewList(as, total, p))
}

func filterOf(c *gin.Context) AttendeeFilter {
	d, _ := strconv.ParseInt(c.Query("delegation_id"), 10, 64)
	return AttendeeFilter{Q: c.Query("q"), Category: c.Query("category"), DelegationID: d, Status: c.Query("status")}
}

func (h *Handlers) createAttendee(c *gin.Context) { // organisers and delegations; the public: apiRegister
	id, err := web.ParamID(c, "id")
	var in AttendeeInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var a Attendee
	if err == nil {
		a, err = h.store.AddMember(c.Request.Context(), web.IdentityOf(c), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.withURL(a))
}

// apiCreateAttendee: an organiser adds anyone; a delegation account adds
// a member of its own delegation (AddMember).
func (h *Handlers) apiCreateAttendee(c *gin.Context) { h.createAttendee(c) }

func (h *Handlers) attendee(c *gin.Context) (Attendee, bool) {
	id, err := web.ParamID(c, "id")
	var a Attendee
	if err == nil {
		a, err = h.store.Attendee(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return Attendee{}, false
	}
	return h.withURL(a), true
}

func (h *Handlers) apiGetAttendee(c *gin.Context) {
	if a, ok := h.attendee(c); ok {
		c.JSON(http.StatusOK, a)
	}
}

func (h *Handlers) apiBadgePNG(c *gin.Context) {
	if a, ok := h.attendee(c); ok {
		h.sendPNG(c, a.Code)
	}
}

// sendPNG answers the QR image of code's badge URL; the ETag is the code,
// since the image changes only with it.
func (h *Handlers) sendPNG(c *gin.Context, code string) {
	etag := `"` + code[:min(len(code), 32)] + `"`
	c.Header("Cache-Control", "private, max-age=86400")
	c.Header("ETag", etag)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	b, err := h.store.BadgePNG(code, h.badgeURL(code))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "image/png", b)
}

func (h *Handlers) apiReissue(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var a Attendee
	if err == nil {
		a, err = h.store.Reissue(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.withURL(a))
}

func (h *Handlers) apiListCheckpoints(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var cs []Checkpoint
	if err == nil {
		cs, err = h.store.Checkpoints(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(cs, len(cs), web.Paging{Page: 1, PerPage: max(len(cs), 1)}))
}

func (h *Handlers) apiCreateCheckpoint(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in CheckpointInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var cp Checkpoint
	if err == nil {
		cp, err = h.store.CreateCheckpoint(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, cp)
}

func (h *Handlers) apiPatchCheckpoint(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in CheckpointPatch
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var cp Checkpoint
	if err == nil {
		cp, err = h.store.PatchCheckpoint(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cp)
}

// StaffList is the body and answer of /api/v1/checkpoints/{id}/staff.
type StaffList struct {
	UserIDs []int64 `json:"user_ids"`
}

func (h *Handlers) apiGetStaff(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ids []int64
	if err == nil {
		if _, err = h.store.Checkpoint(c.Request.Context(), id); err == nil {
			ids, err = h.store.Staff(c.Request.Context(), id)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, StaffList{UserIDs: ids})
}

func (h *Handlers) apiSetStaff(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in StaffList
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	if err == nil {
		err = h.store.SetStaff(c.Request.Context(), id, in.UserIDs)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.apiGetStaff(c)
}

// scanner is who scans in this request: the account, its address and its
// device (a station may name itself with X-Device-ID, which is kept with
// the scan but limits nothing).
func scanner(c *gin.Context) Scanner {
	id := web.IdentityOf(c)
	addr := c.ClientIP()
	dev := addr
	if d := c.GetHeader("X-Device-ID"); d != "" {
		dev += "|" + truncate(d, 64)
	}
	return Scanner{UserID: id.UserID, Organiser: id.Is(web.RoleOrganiser), Address: addr, Device: dev}
}

// statusOf is the HTTP status of a verdict (API.md).
func statusOf(verdict string) int {
	switch verdict {
	case Accepted:
		return http.StatusCreated
	case Duplicate:
		return http.StatusOK
	default:
		return http.StatusUnprocessableEntity
	}
}

// explain adds the reader's message. API.md's reasons are a closed list
// that clients switch on, so an expired badge (say) answers not_allowed
// there, with "expired" in detail; the stored scan keeps "expired" for
// reports.
func (h *Handlers) explain(c *gin.Context, r Result) Result {
	if r.Reason != "" {
		r.Message = h.site.L(c).Label("checkin.reason", r.Reason)
	}
	if notAllowedDetails[r.Reason] {
		r.Reason, r.Detail = ReasonNotAllowed, r.Reason
	}
	return r
}

func (h *Handlers) apiScan(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in ScanInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var r Result
	if err == nil {
		r, err = h.store.Scan(c.Request.Context(), id, scanner(c), in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(statusOf(r.Verdict), h.explain(c, r))
}

// Batch is the body of POST /api/v1/checkpoints/{id}/scans/batch and,
// with Results, its answer.
type Batch struct {
	Scans   []ScanInput `json:"scans,omitempty"`
	Results []Result    `json:"results"`
}

func (h *Handlers) apiScanBatch(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in Batch
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var rs []Result
	if err == nil {
		rs, err = h.store.ScanBatch(c.Request.Context(), id, scanner(c), in.Scans)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for i := range rs {
		rs[i] = h.explain(c, rs[i])
	}
	c.JSON(http.StatusOK, Batch{Results: append([]Result{}, rs...)})
}

func (h *Handlers) apiCounters(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var n Counters
	if err == nil {
		n, err = h.store.CheckpointCounters(c.Request.Context(), scanner(c), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

func (h *Handlers) apiStats(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var st Stats
	if err == nil {
		st, err = h.store.Stats(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// apiLive streams the edition's live counters as Server-Sent Events: one
// "counters" event at once, then one after each change (at most one a
// second), and a comment every 25 s to keep proxies from closing the line.
func (h *Handlers) apiLive(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.editions.Edition(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	w := c.Writer
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	ctx := c.Request.Context()
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		changed := h.store.Changed(id)
		l, err := h.store.LiveCounters(ctx, id)
		if err != nil {
			h.site.Log.Error("live counters", "edition", id, "err", err)
			return
		}
		b, _ := json.Marshal(l)
		fmt.Fprintf(w, "event: counters\ndata: %s\n\n", b)
		w.Flush()
	wait:
		for {
			select {
			case <-ctx.Done():
				return
			case <-keepAlive.C:
				fmt.Fprint(w, ": keep-alive\n\n")
				w.Flush()
			case <-changed:
				break wait
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}
