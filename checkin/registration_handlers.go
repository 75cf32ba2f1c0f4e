package checkin

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// registerRegistration adds the routes of public registration, its
// settings, the self-service link, the help desk and the approval queue.
// desk is the help desk's roles: organisers, leaders (reading) and staff.
func (h *Handlers) registerRegistration(r *gin.Engine, org, desk gin.HandlerFunc) {
	deskWrite := h.site.Require(web.RoleOrganiser, web.RoleStaff)
	api := r.Group("/api/v1")
	api.GET("/editions/:id/registration-settings", h.apiGetSettings)
	api.PUT("/editions/:id/registration-settings", org, h.apiPutSettings)
	api.GET("/attendees/:id/scans", desk, h.apiAttendeeScans)
	api.POST("/attendees/:id/approve", org, h.apiApprove)
	api.POST("/attendees/:id/cancel", deskWrite, h.apiCancel)
	api.POST("/attendees/:id/category", org, h.apiChangeCategory)
	api.POST("/attendees/:id/manage-link", deskWrite, h.apiManageLink)
	api.POST("/editions/:id/attendees/approve", org, h.apiApproveAll)
	api.GET("/registrations/:token", h.apiGetRegistration)
	api.PATCH("/registrations/:token", h.apiCorrect)
	api.POST("/registrations/:token/cancel", h.apiCancelOwn)
	api.GET("/editions/:id/badges.pdf", h.site.Require(web.RoleOrganiser, web.RoleDelegation), h.apiBadgePDF)

	r.GET("/editions/:id/register", h.registerPage)
	r.POST("/editions/:id/register", h.registerForm)
	r.POST("/editions/:id/register/resend", h.resendForm)
	r.GET("/r/:token", h.managePage)
	r.POST("/r/:token", h.correctForm)
	r.POST("/r/:token/cancel", h.cancelOwnForm)
	r.GET("/editions/:id/registration-settings", org, h.settingsPage)
	r.POST("/editions/:id/registration-settings", org, h.settingsForm)
	r.GET("/editions/:id/helpdesk", desk, h.helpdeskPage)
	r.GET("/editions/:id/approvals", org, h.approvalsPage)
	r.POST("/editions/:id/approvals", org, h.approvalsForm)
	r.GET("/attendees/:id", desk, h.attendeePage)
	r.GET("/attendees/:id/print", desk, h.printOnePage)
	r.POST("/attendees/:id/approve", org, h.approveForm)
	r.POST("/attendees/:id/cancel", deskWrite, h.cancelForm)
	r.POST("/attendees/:id/category", org, h.categoryForm)
	r.POST("/attendees/:id/manage-link", deskWrite, h.manageLinkForm)
}

func (h *Handlers) manageURL(token string) string { return h.site.BaseURL + "/r/" + token }

// RegistrationAnswer is the answer of a public registration and of the
// self-service API: the badge URL only once the badge is valid.
type RegistrationAnswer struct {
	ID           int64  `json:"id"`
	Status       string `json:"status"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Category     string `json:"category"`
	BadgeURL     string `json:"badge_url,omitempty"`
	ManageURL    string `json:"manage_url,omitempty"`
}

func (h *Handlers) answer(a Attendee, token string) RegistrationAnswer {
	r := RegistrationAnswer{ID: a.ID, Status: a.Status, Name: a.Name, Organisation: a.Organisation, Category: a.Category}
	if a.Status == StatusApproved {
		r.BadgeURL = h.badgeURL(a.Code)
	}
	if token != "" {
		r.ManageURL = h.manageURL(token)
	}
	return r
}

// limited counts a public registration attempt from the client's address.
// When the address has used up its attempts it sets Retry-After and
// returns the rate-limit error (429) for the caller to answer.
func (h *Handlers) limited(c *gin.Context) error {
	ok, wait := h.reg.take(c.ClientIP())
	if ok {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
	return apperr.New(apperr.RateLimited, "reg.too_many").With(map[string]any{"Minutes": (secs + 59) / 60})
}

// apiRegister is public registration: anyone may register for an edition;
// the edition's settings decide what they may choose (Store.create).
func (h *Handlers) apiRegister(c *gin.Context) {
	err := h.limited(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "id")
	}
	var in AttendeeInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var r Registration
	if err == nil {
		r, err = h.store.Register(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.answer(r.Attendee, r.Token))
}

func (h *Handlers) apiGetSettings(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var set RegistrationSettings
	if err == nil {
		if web.IdentityOf(c).Is(web.RoleOrganiser) {
			set, err = h.store.RegistrationSettingsWithCounts(c.Request.Context(), id)
		} else {
			set, err = h.store.RegistrationSettings(c.Request.Context(), id)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

func (h *Handlers) apiPutSettings(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in RegistrationSettings
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var set RegistrationSettings
	if err == nil {
		set, err = h.store.SetRegistrationSettings(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

func (h *Handlers) apiAttendeeScans(c *gin.Context) {
	a, ok := h.attendee(c)
	if !ok {
		return
	}
	ss, err := h.store.AttendeeScans(c.Request.Context(), a)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(ss, len(ss), web.Paging{Page: 1, PerPage: max(len(ss), 1)}))
}

// attendeeAction runs an action on the attendee named in the path and
// answers the attendee.
func (h *Handlers) attendeeAction(c *gin.Context, act func(id int64) (Attendee, error)) {
	id, err := web.ParamID(c, "id")
	var a Attendee
	if err == nil {
		a, err = act(id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.withURL(a))
}

func (h *Handlers) apiApprove(c *gin.Context) {
	h.attendeeAction(c, func(id int64) (Attendee, error) { return h.store.Approve(c.Request.Context(), id) })
}

func (h *Handlers) apiCancel(c *gin.Context) {
	h.attendeeAction(c, func(id int64) (Attendee, error) { return h.store.Cancel(c.Request.Context(), id) })
}

type categoryBody struct {
	Category string `json:"category"`
}

func (h *Handlers) apiChangeCategory(c *gin.Context) {
	var in categoryBody
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	h.attendeeAction(c, func(id int64) (Attendee, error) { return h.store.ChangeCategory(c.Request.Context(), id, in.Category) })
}

// ManageLink is the answer of POST /api/v1/attendees/{id}/manage-link.
type ManageLink struct {
	URL string `json:"url"`
}

func (h *Handlers) apiManageLink(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var token string
	if err == nil {
		token, err = h.store.NewManageLink(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ManageLink{URL: h.manageURL(token)})
}

type idsBody struct {
	IDs []int64 `json:"ids"`
}

func (h *Handlers) apiApproveAll(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in idsBody
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var as []Attendee
	if err == nil {
		as, err = h.store.ApproveAll(c.Request.Context(), id, in.IDs)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for i := range as {
		as[i] = h.withURL(as[i])
	}
	c.JSON(http.StatusOK, web.NewList(as, len(as), web.Paging{Page: 1, PerPage: max(len(as), 1)}))
}

func (h *Handlers) apiGetRegistration(c *gin.Context) {
	a, err := h.store.ByManageToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.answer(a, ""))
}

func (h *Handlers) apiCorrect(c *gin.Context) {
	var in Correction
	err := web.BindJSON(c, &in)
	var a Attendee
	if err == nil {
		a, err = h.store.Correct(c.Request.Context(), c.Param("token"), in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.answer(a, ""))
}

func (h *Handlers) apiCancelOwn(c *gin.Context) {
	a, err := h.store.CancelByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.answer(a, ""))
}

// Pages.

type registerData struct {
	Edition    conference.Edition
	Settings   RegistrationSettings
	Categories []string
	Form       AttendeeInput
	Error      *web.ErrorInfo
}

func (h *Handlers) registerPage(c *gin.Context) {
	h.showRegister(c, http.StatusOK, AttendeeInput{}, nil)
}

func (h *Handlers) showRegister(c *gin.Context, status int, form AttendeeInput, info *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	d := registerData{Form: form, Error: info}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Settings, err = h.store.RegistrationSettings(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Categories = d.Settings.PublicCategories
	if d.Form.Category == "" && len(d.Categories) > 0 {
		d.Form.Category = d.Categories[0]
	}
	h.site.HTML(c, status, "checkin/register", "checkin.register_title", d)
}

// registerForm registers a member of the public and shows their
// self-service page (with the badge once it is valid). The store decides
// what the public may choose, as for the API: a posted staff category or
// delegation is refused, not quietly changed.
func (h *Handlers) registerForm(c *gin.Context) {
	err := h.limited(c)
	var id int64
	if err == nil {
		id, err = web.ParamID(c, "id")
	}
	in := attendeeForm(c)
	in.Email, in.Consent = c.PostForm("email"), c.PostForm("consent") != ""
	var r Registration
	if err == nil {
		r, err = h.store.Register(c.Request.Context(), id, in)
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showRegister(c, status, in, info)
		}
		return
	}
	h.site.Redirect(c, "/r/"+r.Token, registeredFlash[r.Status])
}

var registeredFlash = map[string]string{StatusApproved: "reg.registered_approved",
	StatusPending: "reg.registered_pending", StatusWaiting: "reg.registered_waiting"}

type manageData struct {
	Token    string
	Attendee Attendee
	Edition  conference.Edition
	Error    *web.ErrorInfo
	Form     Correction
}

func (h *Handlers) managePage(c *gin.Context) { h.showManage(c, http.StatusOK, nil, nil) }

func (h *Handlers) showManage(c *gin.Context, status int, form *Correction, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	d := manageData{Token: c.Param("token"), Error: info}
	a, err := h.store.ByManageToken(ctx, d.Token)
	if err == nil {
		d.Edition, err = h.store.editionOf(ctx, a)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Attendee = h.withURL(a)
	d.Form = Correction{Name: a.Name, Organisation: a.Organisation}
	if form != nil {
		d.Form = *form
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	h.site.HTML(c, status, "checkin/manage", "reg.manage_title", d)
}

func (h *Handlers) correctForm(c *gin.Context) {
	in := Correction{Name: c.PostForm("name"), Organisation: c.PostForm("organisation")}
	_, err := h.store.Correct(c.Request.Context(), c.Param("token"), in)
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showManage(c, status, &in, info)
		}
		return
	}
	h.site.Redirect(c, "/r/"+c.Param("token"), "reg.corrected")
}

func (h *Handlers) cancelOwnForm(c *gin.Context) {
	if _, err := h.store.CancelByToken(c.Request.Context(), c.Param("token")); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showManage(c, status, nil, info)
		}
		return
	}
	h.site.Redirect(c, "/r/"+c.Param("token"), "reg.cancelled")
}

type settingsData struct {
	Edition  conference.Edition
	Settings RegistrationSettings
	Rows     []settingsCategory
	Error    *web.ErrorInfo
}

// settingsCategory is one category's row of the settings form.
type settingsCategory struct {
	Category         string
	Never            bool // staff and delegation members: never public
	Public, Approval bool
	Capacity         string
	Taken, Waiting   int
}

func (h *Handlers) settingsPage(c *gin.Context) { h.showSettings(c, http.StatusOK, nil, nil) }

func (h *Handlers) showSettings(c *gin.Context, status int, form *RegistrationSettings, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := settingsData{Error: info}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil {
		d.Settings, err = h.store.RegistrationSettingsWithCounts(ctx, id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if form != nil {
		form.Taken, form.Waiting = d.Settings.Taken, d.Settings.Waiting
		d.Settings = *form
	}
	for _, cat := range Categories {
		row := settingsCategory{Category: cat, Never: !slices.Contains(publicCategories(), cat),
			Public: slices.Contains(d.Settings.PublicCategories, cat), Approval: d.Settings.NeedsApproval(cat),
			Taken: d.Settings.Taken[cat], Waiting: d.Settings.Waiting[cat]}
		if n, ok := d.Settings.Capacity[cat]; ok {
			row.Capacity = strconv.Itoa(n)
		}
		d.Rows = append(d.Rows, row)
	}
	h.site.HTML(c, status, "checkin/regsettings", "reg.settings_title", d)
}

func (h *Handlers) settingsForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	in := RegistrationSettings{PublicCategories: c.PostFormArray("public"), ApprovalCategories: c.PostFormArray("approval"),
		Capacity: map[string]int{}, PrivacyText: c.PostForm("privacy_text"), PrivacyVersion: c.PostForm("privacy_version")}
	for _, cat := range Categories {
		if v := strings.TrimSpace(c.PostForm("capacity_" + cat)); v != "" {
			n, convErr := strconv.Atoi(v)
			if convErr != nil {
				n = -1 // refused by Validate, naming the category
			}
			in.Capacity[cat] = n
		}
	}
	if err == nil {
		_, err = h.store.SetRegistrationSettings(c.Request.Context(), id, in)
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showSettings(c, status, &in, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/registration-settings", id), "reg.settings_saved")
}

type helpdeskData struct {
	Edition   conference.Edition
	Q         string
	Attendees []Attendee
	Total     int
}

// helpdeskPage is the help desk's one search box over the edition's
// attendees.
func (h *Handlers) helpdeskPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := helpdeskData{Q: strings.TrimSpace(c.Query("q"))}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil && d.Q != "" {
		d.Attendees, d.Total, err = h.store.Attendees(ctx, id, AttendeeFilter{Q: d.Q}, web.Paging{Page: 1, PerPage: 50})
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "checkin/helpdesk", "reg.helpdesk_title", d)
}

type attendeePageData struct {
	Attendee   Attendee
	Edition    conference.Edition
	Scans      []AttendeeScan
	Categories []string
	ManageURL  string
	Reissued   bool
}

func (h *Handlers) attendeePage(c *gin.Context) { h.showAttendee(c, "") }

func (h *Handlers) showAttendee(c *gin.Context, manageURL string) {
	ctx := c.Request.Context()
	a, ok := h.attendee(c)
	if !ok {
		return
	}
	d := attendeePageData{Attendee: a, Categories: Categories, ManageURL: manageURL, Reissued: c.Query("reissued") != ""}
	var err error
	d.Edition, err = h.store.editionOf(ctx, a)
	if err == nil {
		d.Scans, err = h.store.AttendeeScans(ctx, a)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	h.site.HTML(c, http.StatusOK, "checkin/attendee", "reg.attendee_title", d)
}

// printOnePage is one attendee's badge on the A4 sheet layout.
func (h *Handlers) printOnePage(c *gin.Context) {
	a, ok := h.attendee(c)
	if !ok {
		return
	}
	e, err := h.store.editionOf(c.Request.Context(), a)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d := sheetData{Edition: e, Pages: sheetPages([]Attendee{a}), Total: 1, One: true}
	h.site.HTML(c, http.StatusOK, "checkin/badges", "checkin.badges_title", d)
}

func (h *Handlers) attendeeForm(c *gin.Context, flash string, act func(id int64) (Attendee, error)) {
	id, err := web.ParamID(c, "id")
	var a Attendee
	if err == nil {
		a, err = act(id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/attendees/%d", a.ID), flash)
}

func (h *Handlers) approveForm(c *gin.Context) {
	h.attendeeForm(c, "reg.approved", func(id int64) (Attendee, error) { return h.store.Approve(c.Request.Context(), id) })
}

func (h *Handlers) cancelForm(c *gin.Context) {
	h.attendeeForm(c, "reg.cancelled_by_desk", func(id int64) (Attendee, error) { return h.store.Cancel(c.Request.Context(), id) })
}

func (h *Handlers) categoryForm(c *gin.Context) {
	h.attendeeForm(c, "reg.category_changed", func(id int64) (Attendee, error) {
		return h.store.ChangeCategory(c.Request.Context(), id, c.PostForm("category"))
	})
}

// manageLinkForm makes a new self-service link and shows it on the
// attendee page, once, for the help desk to hand over or send.
func (h *Handlers) manageLinkForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var token string
	if err == nil {
		token, err = h.store.NewManageLink(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.showAttendee(c, h.manageURL(token))
}

type approvalsData struct {
	Edition    conference.Edition
	Attendees  web.List[Attendee]
	Category   string
	Waiting    bool // the waiting list rather than the pending queue
	Categories []string
	Settings   RegistrationSettings
}

// approvalsPage is the organisers' queue of pending registrations (or,
// with status=waiting, the waiting lists), oldest first in pages of 100,
// with a box per row for bulk approval.
func (h *Handlers) approvalsPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := approvalsData{Category: c.Query("category"), Waiting: c.Query("status") == StatusWaiting, Categories: Categories}
	var p web.Paging
	if err == nil {
		p, err = web.ParsePaging(c)
	}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil {
		d.Settings, err = h.store.RegistrationSettingsWithCounts(ctx, id)
	}
	var as []Attendee
	var total int
	if err == nil {
		p.PerPage = min(p.PerPage, 100)
		status := StatusPending
		if d.Waiting {
			status = StatusWaiting
		}
		as, total, err = h.store.Queue(ctx, id, status, d.Category, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Attendees = web.NewList(as, total, p)
	h.site.HTML(c, http.StatusOK, "checkin/approvals", "reg.approvals_title", d)
}

func (h *Handlers) approvalsForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ids []int64
	for _, v := range c.PostFormArray("ids") {
		n, convErr := strconv.ParseInt(v, 10, 64)
		if convErr != nil {
			err = apperr.Field("ids", "reg.ids_invalid", map[string]any{"Max": 500})
		}
		ids = append(ids, n)
	}
	if err == nil {
		_, err = h.store.ApproveAll(c.Request.Context(), id, ids)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/approvals", id), "reg.approved_many")
}
