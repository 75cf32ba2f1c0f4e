package checkin

import (
	"crypto/rand"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// StationCookie remembers the checkpoint a station scans at, so that a
// staff member who opens a badge URL records a scan there.
const StationCookie = "station_checkpoint"

func (h *Handlers) registerPages(r *gin.Engine, org, readers, scanners gin.HandlerFunc) {
	r.GET("/checkin", h.site.SignedIn(), h.hubPage)
	r.GET("/checkin/station", scanners, h.stationPage)
	r.GET("/editions/:id/attendees", readers, h.attendeesPage)
	r.POST("/editions/:id/attendees", org, h.createAttendeeForm)
	r.POST("/editions/:id/attendees/import", org, h.importAttendeesForm)
	r.POST("/attendees/:id/reissue", org, h.reissueForm)
	r.GET("/editions/:id/badges", org, h.badgeSheetPage)
	r.GET("/editions/:id/checkpoints", readers, h.checkpointsPage)
	r.POST("/editions/:id/checkpoints", org, h.createCheckpointForm)
	r.GET("/checkpoints/:id/staff", org, h.staffPage)
	r.POST("/checkpoints/:id/staff", org, h.staffForm)
	r.GET("/editions/:id/checkins", readers, h.statsPage)
	r.GET("/b/:code", h.badgePage)
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
	Points   []stationPoint
	Selected int64
}

// stationPage lists the checkpoints this account may scan at, newest
// edition first.
func (h *Handlers) stationPage(c *gin.Context) {
	ctx := c.Request.Context()
	es, _, err := h.store.editions.Editions(ctx, web.Paging{Page: 1, PerPage: web.MaxPerPage})
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d := stationData{}
	d.Selected, _ = strconv.ParseInt(cookie(c, StationCookie), 10, 64)
	sc := scanner(c)
	for _, e := range es {
		cs, err := h.store.Checkpoints(ctx, e.ID)
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		for _, cp := range cs {
			if h.store.MayScan(ctx, sc, cp) == nil {
				d.Points = append(d.Points, stationPoint{Checkpoint: cp, Edition: e.Name})
			}
		}
	}
	h.site.HTML(c, http.StatusOK, "checkin/station", "checkin.station_title", d)
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
	Scan     *Result
	ScanErr  *web.ErrorInfo
}

// badgePage shows a badge on the attendee's phone. A signed-in staff
// member whose station has a checkpoint records a scan there instead of
// just looking.
func (h *Handlers) badgePage(c *gin.Context) {
	ctx := c.Request.Context()
	code := CodeFrom(c.Param("code"))
	d := badgeData{}
	if id := web.IdentityOf(c); id.Is(web.RoleStaff, web.RoleOrganiser) {
		if cp, err := strconv.ParseInt(cookie(c, StationCookie), 10, 64); err == nil {
			r, err := h.store.Scan(ctx, cp, scanner(c), ScanInput{Code: code, ScanID: "b-" + rand.Text()})
			if err != nil {
				_, info := h.site.Explain(c, err)
				d.ScanErr = &info
			} else {
				r = h.explain(c, r)
				d.Scan = &r
			}
		}
	}
	a, err := h.store.AttendeeByCode(ctx, code)
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, a.EditionID)
	}
	if err != nil && d.Scan == nil {
		h.site.Fail(c, apperr.New(apperr.NotFound, "checkin.badge_invalid"))
		return
	}
	d.Attendee = h.withURL(a)
	h.site.HTML(c, http.StatusOK, "checkin/badge", "checkin.badge_title", d)
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
