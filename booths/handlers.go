package booths

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Handlers serve zones and booths as JSON and as pages.
type Handlers struct {
	site  *web.Site
	store *Store
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, store *Store) *Handlers {
	return &Handlers{site: site, store: store}
}

// Register adds the routes. Zones and the cloud hall pages are public;
// booth lists and details are scoped to who asks (see CanSee); every change
// is for organisers.
func (h *Handlers) Register(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	signedIn := h.site.SignedIn()
	api := r.Group("/api/v1")
	api.GET("/editions/:id/zones", h.apiListZones)
	api.POST("/editions/:id/zones", org, h.apiCreateZone)
	api.GET("/zones/:id", h.apiGetZone)
	api.PATCH("/zones/:id", org, h.apiUpdateZone)
	api.DELETE("/zones/:id", org, h.apiDeleteZone)
	api.GET("/editions/:id/booths", signedIn, h.apiListBooths)
	api.POST("/editions/:id/booths", org, h.apiCreateBooth)
	api.POST("/editions/:id/booths/grid", org, h.apiCreateGrid)
	api.POST("/editions/:id/booths/import", org, h.site.ImportSlot(), h.apiImport)
	api.GET("/booths/:id", signedIn, h.apiGetBooth)
	api.PATCH("/booths/:id", org, h.apiUpdateBooth)
	api.DELETE("/booths/:id", org, h.apiDeleteBooth)
	api.PUT("/booths/:id/exhibitor", org, h.apiAssign)
	api.DELETE("/booths/:id/exhibitor", org, h.apiRelease)
	api.POST("/booths/:id/reserve", org, h.apiReserve)
	api.POST("/booths/:id/move", org, h.apiMove)
	api.PUT("/booths/:id/projects", org, h.apiSetProjects)
	api.POST("/booths/:id/staff", org, h.apiBindStaff)
	api.DELETE("/booths/:id/staff/:user_id", org, h.apiUnbindStaff)
	api.GET("/booths/:id/qr.png", h.qrCode)
	h.registerPages(r)
}

// answer sends v with status, or the error.
func (h *Handlers) answer(c *gin.Context, status int, v any, err error) {
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(status, v)
}

func all[T any](items []T) web.List[T] {
	return web.NewList(items, len(items), web.Paging{Page: 1, PerPage: max(len(items), 1)})
}

func (h *Handlers) apiListZones(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var zs []Zone
	if err == nil {
		zs, err = h.store.Zones(c.Request.Context(), id)
	}
	h.answer(c, http.StatusOK, all(zs), err)
}

func (h *Handlers) apiCreateZone(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in ZoneInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var z Zone
	if err == nil {
		z, err = h.store.CreateZone(c.Request.Context(), id, in)
	}
	h.answer(c, http.StatusCreated, z, err)
}

// scope narrows a booth list to what the account may see: everything for
// organisers, leaders and coordinators; a delegation's own booths; a staff
// account's one booth. ok is false when there is nothing to see at all.
func (h *Handlers) scope(c *gin.Context, f Filter) (Filter, bool, error) {
	who := web.IdentityOf(c)
	switch {
	case who.Is(web.RoleOrganiser, web.RoleLeader, web.RoleCoordinator):
		return f, true, nil
	case who.Is(web.RoleDelegation):
		f.DelegationID = who.DelegationID
		return f, who.DelegationID != 0, nil
	case who.Is(web.RoleStaff):
		id, ok, err := h.store.StaffBooth(c.Request.Context(), who.UserID)
		f.BoothID = id
		return f, ok, err
	}
	return f, false, nil
}

func queryFilter(c *gin.Context) (Filter, error) {
	f := Filter{State: c.Query("state"), Hall: c.Query("hall")}
	for _, q := range []struct {
		name string
		dst  *int64
	}{{"zone_id", &f.ZoneID}, {"delegation_id", &f.DelegationID}} {
		if s := c.Query(q.name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return f, apperr.Field(q.name, "error.not_a_number", nil)
			}
			*q.dst = n
		}
	}
	return f, nil
}

func (h *Handlers) apiListBooths(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var p web.Paging
	var f Filter
	if err == nil {
		p, err = web.ParsePaging(c)
	}
	if err == nil {
		f, err = queryFilter(c)
	}
	ok := false
	if err == nil {
		f, ok, err = h.scope(c, f)
	}
	var bs []Booth
	var total int
	if err == nil && ok {
		bs, total, err = h.store.Booths(c.Request.Context(), id, f, p)
	}
	h.answer(c, http.StatusOK, web.NewList(bs, total, p), err)
}

func (h *Handlers) apiCreateBooth(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in BoothInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var b Booth
	if err == nil {
		b, err = h.store.CreateBooth(c.Request.Context(), id, in)
	}
	h.answer(c, http.StatusCreated, b, err)
}

func (h *Handlers) apiCreateGrid(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in GridInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	n := 0
	if err == nil {
		n, err = h.store.CreateGrid(c.Request.Context(), id, in)
	}
	h.answer(c, http.StatusCreated, gin.H{"created": n}, err)
}

// visibleDetail loads a booth's detail if the account may see it.
func (h *Handlers) visibleDetail(c *gin.Context) (Detail, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Detail{}, err
	}
	d, err := h.store.Detail(c.Request.Context(), id)
	if err != nil {
		return Detail{}, err
	}
	if err := h.store.CanSee(c.Request.Context(), web.IdentityOf(c), d.Booth); err != nil {
		return Detail{}, err
	}
	return d, nil
}

func (h *Handlers) apiGetBooth(c *gin.Context) {
	d, err := h.visibleDetail(c)
	h.answer(c, http.StatusOK, d, err)
}

type holderInput struct {
	DelegationID int64 `json:"delegation_id"`
}

func (h *Handlers) apiHold(c *gin.Context, hold func(*gin.Context, int64, int64) (Booth, error)) {
	id, err := web.ParamID(c, "id")
	var in holderInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var b Booth
	if err == nil {
		b, err = hold(c, id, in.DelegationID)
	}
	h.answer(c, http.StatusOK, b, err)
}

func (h *Handlers) apiAssign(c *gin.Context) {
	h.apiHold(c, func(c *gin.Context, id, del int64) (Booth, error) {
		return h.store.Assign(c.Request.Context(), id, del)
	})
}

func (h *Handlers) apiReserve(c *gin.Context) {
	h.apiHold(c, func(c *gin.Context, id, del int64) (Booth, error) {
		return h.store.Reserve(c.Request.Context(), id, del)
	})
}

func (h *Handlers) apiRelease(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var b Booth
	if err == nil {
		b, err = h.store.Release(c.Request.Context(), id)
	}
	h.answer(c, http.StatusOK, b, err)
}

func (h *Handlers) apiMove(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		ToBoothID int64 `json:"to_booth_id"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var b Booth
	if err == nil {
		b, err = h.store.Move(c.Request.Context(), id, in.ToBoothID)
	}
	h.answer(c, http.StatusOK, b, err)
}

func (h *Handlers) apiSetProjects(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		ProjectIDs []int64 `json:"project_ids"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var d Detail
	if err == nil {
		d, err = h.store.SetProjects(c.Request.Context(), id, in.ProjectIDs)
	}
	h.answer(c, http.StatusOK, d, err)
}

func (h *Handlers) apiBindStaff(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var d Detail
	if err == nil {
		d, err = h.store.BindStaff(c.Request.Context(), id, in.UserID)
	}
	h.answer(c, http.StatusOK, d, err)
}

func (h *Handlers) apiUnbindStaff(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var user int64
	if err == nil {
		user, err = web.ParamID(c, "user_id")
	}
	var d Detail
	if err == nil {
		d, err = h.store.UnbindStaff(c.Request.Context(), id, user)
	}
	h.answer(c, http.StatusOK, d, err)
}
