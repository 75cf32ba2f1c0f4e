package pairing

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

func (h *Handlers) registerPages(r *gin.Engine) {
	manage, read, propose := h.site.Require(managers...), h.site.Require(readers...), h.site.Require(proposers...)
	r.GET("/pairing", read, h.latest(""))
	r.GET("/pairing/board", h.site.SignedIn(), h.latest("/board"))
	r.GET("/editions/:id/pairing", read, h.hallPage)
	r.GET("/editions/:id/pairing/suggest", manage, h.suggestPage)
	r.POST("/editions/:id/pairing/bulk", manage, h.bulkForm)
	r.POST("/editions/:id/pairing/create", propose, h.createForm)
	r.GET("/editions/:id/pairing/ceremony", read, h.ceremonyPage)
	r.GET("/editions/:id/pairing/board", h.site.SignedIn(), h.boardPage)
	r.GET("/board/:token", h.kioskPage) // a board link: no sign-in, no navigation
	r.POST("/editions/:id/pairing/board-link", h.site.Require(web.RoleOrganiser), h.boardLinkForm)
	r.POST("/editions/:id/pairing/board-link/revoke", h.site.Require(web.RoleOrganiser), h.revokeBoardLinksForm)
	r.GET("/projects/:id/matches", read, h.matchesPage)
	r.GET("/pairings/:id", read, h.showPage)
	r.POST("/pairings/:id/stage", manage, h.stageForm)
	r.POST("/pairings/:id/notes", manage, h.noteForm)
	r.POST("/pairings/:id/respond", propose, h.respondForm)
	r.POST("/pairings/:id/meeting", manage, h.bookForm)
	r.POST("/pairings/:id/ceremony", h.site.Require(web.RoleOrganiser), h.ceremonyForm)
	r.GET("/pairings/:id/quick", manage, h.quickPage)
	r.POST("/pairings/:id/quick", manage, h.quickForm)
	r.GET("/pairing/sessions/:id", read, h.sessionPage)
	r.GET("/pairing/sessions/:id/participants", read, h.participantsPage)
	r.POST("/pairing/sessions/:id/schedule", manage, h.scheduleForm)
}

// latest sends /pairing and /pairing/board to the newest edition's page.
func (h *Handlers) latest(suffix string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := h.store.LatestEdition(c.Request.Context())
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/editions/%d/pairing%s", id, suffix))
	}
}

type hallData struct {
	EditionID int64
	Edition   string
	Counters  Counters
	Sessions  []Session
	Pairings  web.List[Pairing]
	Stage     string
	Stages    []string
	Mine      []conference.Project // a delegation's own projects, to find counterparts for
}

func (h *Handlers) hallPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := hallData{EditionID: id, Stage: c.Query("stage"), Stages: Stages}
	var pg web.Paging
	if err == nil {
		pg, err = web.ParsePaging(c)
	}
	if err == nil {
		d.Edition, err = h.store.EditionName(ctx, id)
	}
	if err == nil {
		d.Counters, err = h.store.Counters(ctx, id)
	}
	if err == nil {
		d.Sessions, err = h.store.Sessions(ctx, id)
	}
	if err == nil {
		f := Filter{Stage: d.Stage}
		if who := web.IdentityOf(c); who.Is(web.RoleDelegation) {
			f.DelegationID = who.DelegationID
			d.Mine, err = h.store.delegationProjects(ctx, id, who.DelegationID)
		}
		var ps []Pairing
		var total int
		ps, total, err = h.store.Pairings(ctx, id, f, pg)
		d.Pairings = web.NewList(ps, total, pg)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/hall", "pairing.hall_title", d)
}

type suggestData struct {
	EditionID    int64
	Edition      string
	Delegations  []web.Option
	Industries   []string
	DelegationID int64
	Industry     string
	Suggestions  []Suggestion
}

func (h *Handlers) suggestPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	d := suggestData{EditionID: id, Industry: c.Query("industry")}
	if err == nil {
		d.DelegationID, _ = strconv.ParseInt(c.Query("delegation_id"), 10, 64)
		d.Edition, err = h.store.EditionName(ctx, id)
	}
	if err == nil {
		d.Delegations, d.Industries, err = h.store.choices(ctx, id)
	}
	if err == nil && (d.DelegationID != 0 || d.Industry != "") {
		d.Suggestions, err = h.rec.Suggest(ctx, id, SuggestFilter{DelegationID: d.DelegationID, Industry: d.Industry, PerProject: 3})
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/suggest", "pairing.suggest_title", d)
}

// bulkForm creates the ticked pairs: each checkbox "pair" is "demand-supply".
func (h *Handlers) bulkForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var pairs []NewPairing
	for _, v := range c.PostFormArray("pair") {
		a, b, _ := strings.Cut(v, "-")
		d, _ := strconv.ParseInt(a, 10, 64)
		s, _ := strconv.ParseInt(b, 10, 64)
		pairs = append(pairs, NewPairing{DemandID: d, SupplyID: s})
	}
	if err == nil {
		_, err = h.store.CreateMany(c.Request.Context(), id, pairs, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/editions/%d/pairing", id), "pairing.bulk_created")
}

func (h *Handlers) createForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	in := NewPairing{Message: c.PostForm("message")}
	if err == nil {
		in.DemandID, err = web.FormInt64(c, "demand_id")
	}
	if err == nil {
		in.SupplyID, err = web.FormInt64(c, "supply_id")
	}
	var p Pairing
	if err == nil {
		p, err = h.store.Create(c.Request.Context(), id, in, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/pairings/%d", p.ID), "pairing.created")
}

type matchesData struct {
	Project conference.Project
	Matches []Match
}

func (h *Handlers) matchesPage(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	var d matchesData
	if err == nil && web.IdentityOf(c).Is(web.RoleDelegation) {
		err = h.store.ownProject(ctx, id, web.IdentityOf(c).DelegationID)
	}
	if err == nil {
		d.Project, err = h.store.project(ctx, id)
	}
	if err == nil {
		d.Matches, err = h.rec.Matches(ctx, id, 10)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "pairing/matches", "pairing.matches_title", d)
}

// stageFromForm reads the stage form.
func stageFromForm(c *gin.Context) (StageInput, error) {
	in := StageInput{Stage: c.PostForm("stage"), Note: c.PostForm("note"), Reason: c.PostForm("reason"),
		Signatories: c.PostForm("signatories"), Reopen: c.PostForm("reopen") != ""}
	in.SetAmount(c.PostForm("amount_wan"))
	if s := strings.TrimSpace(c.PostForm("signed_on")); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			return in, apperr.Field("signed_on", "error.date_format", nil)
		}
		in.SignedOn = d
	}
	return in, nil
}
