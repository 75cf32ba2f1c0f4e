package checkin

import (
	"context"
	"crypto/rand"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// StationCookie remembers the checkpoint a station scans at, so that a
// staff member who opens a badge URL is offered to record a scan there.
const StationCookie = "station_checkpoint"

func (h *Handlers) registerPages(r *gin.Engine, org, readers, scanners gin.HandlerFunc) {
	r.GET("/checkin", h.site.SignedIn(), h.hubPage)
	r.GET("/checkin/station", scanners, h.stationPage)
	r.POST("/checkin/station", scanners, h.chooseStation)
	r.POST("/checkin/station/leave", scanners, h.leaveStation)
	r.GET("/checkin/station/sw.js", h.stationWorkerJS)
	r.GET("/editions/:id/attendees", readers, h.attendeesPage)
	delegation := h.site.Require(web.RoleDelegation)
	r.GET("/delegation/members", delegation, h.membersPage)
	r.POST("/delegation/members", delegation, h.addMemberForm)
	r.POST("/editions/:id/attendees", org, h.createAttendeeForm)
	r.POST("/editions/:id/attendees/import", org, h.site.ImportSlot(), h.importAttendeesForm)
	r.POST("/attendees/:id/reissue", org, h.reissueForm)
	r.GET("/editions/:id/badges", org, h.badgeSheetPage)
	r.GET("/editions/:id/checkpoints", readers, h.checkpointsPage)
	r.POST("/editions/:id/checkpoints", org, h.createCheckpointForm)
	r.POST("/checkpoints/:id/rehearsal", org, h.rehearsalForm)
	r.GET("/checkpoints/:id/staff", org, h.staffPage)
	r.POST("/checkpoints/:id/staff", org, h.staffForm)
	r.GET("/editions/:id/checkins", readers, h.statsPage)
	r.GET("/b/:code", h.badgePage)
	r.POST("/b/:code/scan", scanners, h.badgeScanForm)
	r.GET("/b/:code/qr.png", h.badgeQR)
}

type hubData struct {
	Editions []conference.Edition
}

func (h *Handlers) hubPage(c *gin.Context) {
	es, _, err := h.store.editions.Editions(c.Request.Context(), web.Paging{Page: 1, PerPage: web.MaxPerPage})
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "checkin/hub", "checkin.hub_title", hubData{Editions: es})
}

type stationPoint struct {
	Checkpoint
	Edition string
}

type stationData struct {
	Points []stationPoint
	// Locked is the checkpoint the station is locked to (kiosk mode);
	// nil: none chosen yet.
	Locked     *stationPoint
	Error      string
	Categories []string
}

// stationPage is the scanning station. Until a checkpoint is chosen it
// lists those this account may scan at in the current editions; once one
// is chosen the station is locked to it (a cookie, so a reload or a lost
// connection keeps it) until someone leaves with the staff member's
// password, or an organiser does.
func (h *Handlers) stationPage(c *gin.Context) { h.showStation(c, http.StatusOK, "") }

func (h *Handlers) showStation(c *gin.Context, status int, errKey string) {
	points, err := h.stationPoints(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d := stationData{Points: points, Categories: Categories}
	if errKey != "" {
		d.Error = h.site.L(c).T(errKey, nil)
	}
	if id, err := strconv.ParseInt(cookie(c, StationCookie), 10, 64); err == nil {
		for i := range points {
			if points[i].ID == id {
				d.Locked = &points[i]
			}
		}
		if d.Locked == nil {
			// A checkpoint of another edition, or one this account may no
			// longer use: start over.
			h.setStation(c, 0)
		}
	}
	h.site.HTML(c, status, "checkin/station", "checkin.station_title", d)
}

// stationPoints lists the checkpoints of the current editions that this
// account may scan at: the newest edition, and any whose last day is not
// past (Beijing time). Last year's gates are not offered.
func (h *Handlers) stationPoints(c *gin.Context) ([]stationPoint, error) {
	ctx := c.Request.Context()
	es, _, err := h.store.editions.Editions(ctx, web.Paging{Page: 1, PerPage: web.MaxPerPage})
	if err != nil {
		return nil, err
	}
	y, m, day := h.store.now().In(china).Date()
	today := civil.NewDate(y, m, day)
	newest := 0
	for _, e := range es {
		newest = max(newest, e.Number)
	}
	var points []stationPoint
	sc := scanner(c)
	for _, e := range es {
		if e.Number != newest && e.EndsOn.Before(today) {
			continue
		}
		cs, err := h.store.Checkpoints(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		for _, cp := range cs {
			if h.store.MayScan(ctx, sc, cp) == nil {
				points = append(points, stationPoint{Checkpoint: cp, Edition: e.Name})
			}
		}
	}
	return points, nil
}

// setStation locks the station to a checkpoint (0: unlocks it).
func (h *Handlers) setStation(c *gin.Context, id int64) {
	age := 180 * 24 * 3600
	v := strconv.FormatInt(id, 10)
	if id == 0 {
		age, v = -1, ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: StationCookie, Value: v, Path: "/", MaxAge: age,
		HttpOnly: true, Secure: h.site.Secure, SameSite: http.SameSiteLaxMode})
}

// chooseStation locks the station to the checkpoint chosen, if none is
// chosen yet: changing it means leaving first.
func (h *Handlers) chooseStation(c *gin.Context) {
	id, err := web.FormInt64(c, "checkpoint_id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	points, err := h.stationPoints(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if cur, err := strconv.ParseInt(cookie(c, StationCookie), 10, 64); err == nil && cur != id && containsPoint(points, cur) {
		h.showStation(c, http.StatusConflict, "station.locked")
		return
	}
	if !containsPoint(points, id) {
		h.showStation(c, http.StatusUnprocessableEntity, "station.choose_one")
		return
	}
	h.setStation(c, id)
	c.Redirect(http.StatusSeeOther, "/checkin/station")
}

func containsPoint(ps []stationPoint, id int64) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// stationWorkerJS serves the station's service worker, which lets the
// station page open again without network. It lives under /checkin/ and
// may take /checkin/station as its scope (a worker's scope cannot be
// wider than its own path without this header).
func (h *Handlers) stationWorkerJS(c *gin.Context) {
	c.Header("Service-Worker-Allowed", "/checkin/")
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", stationWorker)
}

// PasswordCheck checks an account's password (auth's sign-in, with its
// lock-out of repeated failures).
type PasswordCheck func(ctx context.Context, username, password string) error

// UsePasswords lets staff leave a locked station with their password.
func (h *Handlers) UsePasswords(check PasswordCheck) *Handlers {
	h.passwords = check
	return h
}

// leaveStation unlocks the station: an organiser may, and a staff member
// who types their password (a passer-by with the phone may not).
func (h *Handlers) leaveStation(c *gin.Context) {
	id := web.IdentityOf(c)
	if !id.Is(web.RoleOrganiser) {
		key := strconv.FormatInt(id.UserID, 10)
		if h.leaves.blocked(key) {
			h.showStation(c, http.StatusTooManyRequests, "station.too_many_tries")
			return
		}
		if h.passwords == nil || h.passwords(c.Request.Context(), id.Username, c.PostForm("password")) != nil {
			h.leaves.forged(key)
			h.showStation(c, http.StatusForbidden, "station.wrong_password")
			return
		}
	}
	h.setStation(c, 0)
	c.Redirect(http.StatusSeeOther, "/checkin/station")
}

func cookie(c *gin.Context, name string) string {
	v, _ := c.Cookie(name)
	return v
}

type attendeesData struct {
	Edition     conference.Edition
	Attendees   web.List[Attendee]
	Filter      AttendeeFilter
	Delegations []conference.Delegation
	Categories  []string
	Form        AttendeeInput
	Error       *web.ErrorInfo
	ImportError *web.ErrorInfo
}

func (h *Handlers) attendeesPage(c *gin.Context) {
	h.showAttendees(c, http.StatusOK, AttendeeInput{Category: "guest"}, nil)
}

func (h *Handlers) showAttendeesImport(c *gin.Context, status int, info *web.ErrorInfo) {
	h.renderAttendees(c, status, attendeesData{Form: AttendeeInput{Category: "guest"}, ImportError: info})
}

func (h *Handlers) showAttendees(c *gin.Context, status int, form AttendeeInput, info *web.ErrorInfo) {
	h.renderAttendees(c, status, attendeesData{Form: form, Error: info})
}

func (h *Handlers) renderAttendees(c *gin.Context, status int, d attendeesData) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d.Filter, d.Categories = filterOf(c), Categories
	var p web.Paging
	if err == nil {
		p, err = web.ParsePaging(c)
	}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil {
		d.Delegations, err = h.store.editions.Delegations(ctx, id)
	}
	var as []Attendee
	var total int
	if err == nil {
		as, total, err = h.store.Attendees(ctx, id, d.Filter, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Attendees = web.NewList(as, total, p)
	h.site.HTML(c, status, "checkin/attendees", "checkin.attendees_title", d)
}

func attendeeForm(c *gin.Context) AttendeeInput {
	in := AttendeeInput{Name: c.PostForm("name"), Organisation: c.PostForm("organisation"),
		Phone: c.PostForm("phone"), Category: c.PostForm("category")}
	if d, err := strconv.ParseInt(c.PostForm("delegation_id"), 10, 64); err == nil && d > 0 {
		in.DelegationID = &d
	}
	return in
}

func (h *Handlers) createAttendeeForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	in := attendeeForm(c)
	var a Attendee
	if err == nil {
		a, err = h.store.CreateAttendee(c.Request.Context(), id, in, "organiser")
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showAttendees(c, status, in, info)
		}
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/attendees?q="+a.Phone, "checkin.attendee_created")
}

func (h *Handlers) reissueForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var a Attendee
	if err == nil {
		a, err = h.store.Reissue(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	// The attendee page shows the new badge at once, with its print button.
	h.site.Redirect(c, "/attendees/"+strconv.FormatInt(a.ID, 10)+"?reissued=1", "checkin.reissued")
}

type badgeData struct {
	Attendee Attendee
	Edition  conference.Edition
	// Station is the checkpoint a signed-in staff member's station scans
	// at, offered as a button; ScanID makes pressing it twice one scan.
	Station *Checkpoint
	ScanID  string
	Scan    *Result
	ScanErr *web.ErrorInfo
}

// badgePage shows a badge on the attendee's phone. Opening it changes
// nothing, whoever opens it (a link on another site would otherwise
// record scans): a signed-in staff member whose station has a checkpoint
// sees a button that records the scan there.
func (h *Handlers) badgePage(c *gin.Context) {
	h.showBadge(c, badgeData{})
}

func (h *Handlers) showBadge(c *gin.Context, d badgeData) {
	ctx := c.Request.Context()
	code := CodeFrom(c.Param("code"))
	a, err := h.store.AttendeeByCode(ctx, code)
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, a.EditionID)
	}
	if err != nil && d.Scan == nil {
		h.site.Fail(c, apperr.New(apperr.NotFound, "checkin.badge_invalid"))
		return
	}
	d.Attendee = h.withURL(a)
	if cp, ok := h.stationPoint(c); ok {
		d.Station, d.ScanID = &cp, "b-"+rand.Text()
	}
	h.site.HTML(c, http.StatusOK, "checkin/badge", "checkin.badge_title", d)
}

// stationPoint is the checkpoint of the signed-in staff member's station,
// if they may scan there.
func (h *Handlers) stationPoint(c *gin.Context) (Checkpoint, bool) {
	if !web.IdentityOf(c).Is(web.RoleStaff, web.RoleOrganiser) {
		return Checkpoint{}, false
	}
	id, err := strconv.ParseInt(cookie(c, StationCookie), 10, 64)
	if err != nil {
		return Checkpoint{}, false
	}
	cp, err := h.store.Checkpoint(c.Request.Context(), id)
	if err != nil || h.store.MayScan(c.Request.Context(), scanner(c), cp) != nil {
		return Checkpoint{}, false
	}
	return cp, true
}

// badgeScanForm records a scan of the badge at the checkpoint the form
// names (the station's) and shows the badge with the verdict.
func (h *Handlers) badgeScanForm(c *gin.Context) {
	code := CodeFrom(c.Param("code"))
	d := badgeData{}
	cp, err := web.FormInt64(c, "checkpoint_id")
	var r Result
	if err == nil {
		r, err = h.store.Scan(c.Request.Context(), cp, scanner(c), ScanInput{Code: code, ScanID: c.PostForm("scan_id")})
	}
	if err != nil {
		_, info := h.site.Explain(c, err)
		d.ScanErr = &info
	} else {
		r = h.explain(c, r)
		d.Scan = &r
	}
	h.showBadge(c, d)
}

func (h *Handlers) badgeQR(c *gin.Context) {
	a, err := h.store.AttendeeByCode(c.Request.Context(), CodeFrom(c.Param("code")))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.sendPNG(c, a.Code)
}

type sheetData struct {
	Edition     conference.Edition
	Pages       [][]Attendee // eight badges each: one A4 page
	Delegations []conference.Delegation
	Categories  []string
	Filter      AttendeeFilter
	Total       int
	Sheet       web.List[Attendee] // this screen's share of the badges
	One         bool               // one attendee's badge (help desk)
}

// sheetBadges is how many badges one screen of the sheet holds (50 A4
// pages); more page through with the links under the sheet.
const sheetBadges = 400

// sheetPages cuts badges into A4 pages of eight.
func sheetPages(as []Attendee) [][]Attendee {
	var pages [][]Attendee
	for len(as) > 0 {
		n := min(len(as), 8)
		pages, as = append(pages, as[:n]), as[n:]
	}
	return pages
}

// badgeSheetPage is a printable A4 sheet of badges for a delegation or a
// category: eight to a page, each page its own block that the print style
// ends with a page break, so that Chromium prints ⌈n/8⌉ pages. Large
// groups page through screens of sheetBadges.
func (h *Handlers) badgeSheetPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := sheetData{Filter: filterOf(c), Categories: Categories}
	d.Filter.Q = ""
	p := web.Paging{Page: 1, PerPage: sheetBadges}
	if n, convErr := strconv.Atoi(c.Query("page")); convErr == nil && n > 1 {
		p.Page = n
	}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil {
		d.Delegations, err = h.store.editions.Delegations(ctx, id)
	}
	var as []Attendee
	if err == nil && (d.Filter.DelegationID != 0 || d.Filter.Category != "") {
		d.Filter.Status = StatusApproved
		as, d.Total, err = h.store.Attendees(ctx, id, d.Filter, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Sheet = web.NewList(as, d.Total, p)
	d.Pages = sheetPages(as)
	h.site.HTML(c, http.StatusOK, "checkin/badges", "checkin.badges_title", d)
}
