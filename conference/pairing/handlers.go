package pairing

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Handlers serve pairings as JSON and as pages.
type Handlers struct {
	site   *web.Site
	store  *Store
	rec    *Recommender
	broker *Broker
}

// NewHandlers wires the handlers; broker feeds the live board.
func NewHandlers(site *web.Site, store *Store, rec *Recommender, broker *Broker) *Handlers {
	return &Handlers{site: site, store: store, rec: rec, broker: broker}
}

// Roles that manage pairings, and those that may read them.
var (
	managers = []string{web.RoleOrganiser, web.RoleCoordinator}
	readers  = []string{web.RoleOrganiser, web.RoleCoordinator, web.RoleLeader, web.RoleDelegation}
	// proposers may create pairings; a delegation's is a request.
	proposers = []string{web.RoleOrganiser, web.RoleCoordinator, web.RoleDelegation}
)

// Register adds the routes.
func (h *Handlers) Register(r *gin.Engine) {
	manage, read, propose := h.site.Require(managers...), h.site.Require(readers...), h.site.Require(proposers...)
	api := r.Group("/api/v1")
	api.GET("/projects/:id/matches", read, h.apiMatches)
	api.GET("/editions/:id/suggestions", manage, h.apiSuggestions)
	api.GET("/editions/:id/pairings", read, h.apiList)
	api.POST("/editions/:id/pairings", propose, h.apiCreate)
	api.POST("/editions/:id/pairings/bulk", manage, h.apiBulk)
	api.GET("/pairings/:id", read, h.apiGet)
	api.POST("/pairings/:id/respond", propose, h.apiRespond)
	api.POST("/pairings/:id/stage", manage, h.apiStage)
	api.POST("/pairings/:id/notes", manage, h.apiAddNote)
	api.GET("/pairings/:id/history", read, h.apiHistory)
	api.POST("/pairings/:id/meeting", manage, h.apiBook)
	api.DELETE("/pairings/:id/meeting", manage, h.apiCancel)
	api.PUT("/pairings/:id/ceremony", h.site.Require(web.RoleOrganiser), h.apiCeremonyPosition)
	api.GET("/editions/:id/ceremony", read, h.apiCeremony)
	api.GET("/sessions/:id/meetings", read, h.apiSessionMeetings)
	api.POST("/sessions/:id/schedule", manage, h.apiAutoSchedule)
	api.GET("/editions/:id/board", h.site.SignedIn(), h.apiBoard)
	api.GET("/editions/:id/live", h.site.SignedIn(), h.live)
	api.GET("/board/:token", h.apiKioskBoard) // a board link: no sign-in
	api.POST("/editions/:id/board-links", h.site.Require(web.RoleOrganiser), h.apiCreateBoardLink)
	api.DELETE("/editions/:id/board-links", h.site.Require(web.RoleOrganiser), h.apiRevokeBoardLinks)
	h.registerPages(r)
	h.registerParticipant(r)
}

// canSee reports whether the caller may see a pairing: a delegation sees
// only those it is part of.
func canSee(id *web.Identity, p Pairing) bool {
	return !id.Is(web.RoleDelegation) || p.Involves(id.DelegationID)
}

var errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")

// visiblePairing loads the :id pairing if the caller may see it.
func (h *Handlers) visiblePairing(c *gin.Context) (Pairing, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Pairing{}, err
	}
	p, err := h.store.Pairing(c.Request.Context(), id)
	if err == nil && !canSee(web.IdentityOf(c), p) {
		err = errForbidden
	}
	return p, err
}

// queryInt reads an optional positive integer from the query.
func queryInt(c *gin.Context, name string, def, maxV int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxV {
		return 0, apperr.Field(name, "error.paging", map[string]any{"Max": maxV})
	}
	return n, nil
}

func (h *Handlers) apiMatches(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	limit := 10
	if err == nil {
		limit, err = queryInt(c, "limit", 10, 100)
	}
	if err == nil && web.IdentityOf(c).Is(web.RoleDelegation) {
		err = h.store.ownProject(c.Request.Context(), id, web.IdentityOf(c).DelegationID)
	}
	var ms []Match
	if err == nil {
		ms, err = h.rec.Matches(c.Request.Context(), id, limit)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ms})
}

func (h *Handlers) apiSuggestions(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	f := SuggestFilter{Industry: c.Query("industry")}
	if err == nil {
		f.PerProject, err = queryInt(c, "per_project", 3, 10)
	}
	if err == nil {
		var n int
		n, err = queryInt(c, "delegation_id", 0, 1<<62)
		f.DelegationID = int64(n)
	}
	var ss []Suggestion
	if err == nil {
		ss, err = h.rec.Suggest(c.Request.Context(), id, f)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ss})
}

func (h *Handlers) apiList(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var pg web.Paging
	if err == nil {
		pg, err = web.ParsePaging(c)
	}
	f := Filter{Stage: c.Query("stage"), Open: c.Query("open") == "true"}
	if who := web.IdentityOf(c); who.Is(web.RoleDelegation) {
		f.DelegationID = who.DelegationID
	} else if err == nil {
		var n int
		n, err = queryInt(c, "delegation_id", 0, 1<<62)
		f.DelegationID = int64(n)
	}
	var ps []Pairing
	var total int
	if err == nil {
		ps, total, err = h.store.Pairings(c.Request.Context(), id, f, pg)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(ps, total, pg))
}

func (h *Handlers) apiCreate(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in NewPairing
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Pairing
	if err == nil {
		p, err = h.store.Create(c.Request.Context(), id, in, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

// BulkInput creates several pairings at once.
type BulkInput struct {
	Pairs []NewPairing `json:"pairs"`
}

func (h *Handlers) apiBulk(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in BulkInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var res BulkResult
	if err == nil {
		res, err = h.store.CreateMany(c.Request.Context(), id, in.Pairs, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// PairingDetail is a pairing with its history.
type PairingDetail struct {
	Pairing
	History []Change `json:"history"`
}

func (h *Handlers) apiGet(c *gin.Context) {
	p, err := h.visiblePairing(c)
	var hist []Change
	if err == nil {
		hist, err = h.store.History(c.Request.Context(), p.ID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, PairingDetail{Pairing: p, History: hist})
}
