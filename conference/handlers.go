package conference

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// Handlers serve editions and delegations as JSON and as pages.
type Handlers struct {
	site  *web.Site
	store *Store
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, store *Store) *Handlers {
	return &Handlers{site: site, store: store}
}

// Register adds the routes. Reading editions and delegations is public (the
// cloud hall and agenda show them); changing them is for organisers.
func (h *Handlers) Register(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	api := r.Group("/api/v1")
	api.GET("/editions", h.apiListEditions)
	api.POST("/editions", org, h.apiCreateEdition)
	api.GET("/editions/:id", h.apiGetEdition)
	api.PATCH("/editions/:id", org, h.apiUpdateEdition)
	api.POST("/editions/:id/copy", org, h.apiCopyEdition)
	api.GET("/editions/:id/delegations", h.apiListDelegations)
	api.POST("/editions/:id/delegations", org, h.apiCreateDelegation)
	api.GET("/delegations/:id", h.apiGetDelegation)
	api.PATCH("/delegations/:id", org, h.apiUpdateDelegation)

	r.GET("/", h.homePage)
	r.GET("/editions", h.editionsPage)
	r.GET("/editions/new", org, h.newEditionPage)
	r.POST("/editions", org, h.createEditionForm)
	r.GET("/editions/:id", h.editionPage)
	r.GET("/editions/:id/edit", org, h.editEditionPage)
	r.POST("/editions/:id", org, h.updateEditionForm)
	r.GET("/editions/:id/copy", org, h.copyEditionPage)
	r.POST("/editions/:id/copy", org, h.copyEditionForm)
	r.POST("/editions/:id/delegations", org, h.createDelegationForm)
	r.GET("/delegations/:id/edit", org, h.editDelegationPage)
	r.POST("/delegations/:id", org, h.updateDelegationForm)
}

func (h *Handlers) apiListEditions(c *gin.Context) {
	p, err := web.ParsePaging(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	es, total, err := h.store.Editions(c.Request.Context(), p)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(es, total, p))
}

func (h *Handlers) apiCreateEdition(c *gin.Context) {
	var in EditionInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	e, err := h.store.CreateEdition(c.Request.Context(), in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (h *Handlers) apiGetEdition(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var e Edition
	if err == nil {
		e, err = h.store.Edition(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (h *Handlers) apiUpdateEdition(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in EditionInput
	var e Edition
	if err == nil {
		// PATCH: start from the stored edition so omitted fields stay.
		if e, err = h.store.Edition(c.Request.Context(), id); err == nil {
			in = EditionInput{e.Number, e.Name, e.Year, e.StartsOn, e.EndsOn, e.City}
			err = web.BindJSON(c, &in)
		}
	}
	if err == nil {
		e, err = h.store.UpdateEdition(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (h *Handlers) apiCopyEdition(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in EditionInput
	var e Edition
	if err == nil {
		if e, err = h.store.Edition(c.Request.Context(), id); err == nil {
			in.City = e.City // the city usually stays; the body may change it
			err = web.BindJSON(c, &in)
		}
	}
	if err == nil {
		e, err = h.store.CopyEdition(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (h *Handlers) apiListDelegations(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ds []Delegation
	if err == nil {
		ds, err = h.store.Delegations(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(ds, len(ds), web.Paging{Page: 1, PerPage: max(len(ds), 1)}))
}

func (h *Handlers) apiCreateDelegation(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in DelegationInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var d Delegation
	if err == nil {
		d, err = h.store.CreateDelegation(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, d)
}

func (h *Handlers) apiGetDelegation(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Delegation
	if err == nil {
		d, err = h.store.Delegation(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (h *Handlers) apiUpdateDelegation(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Delegation
	var in DelegationInput
	if err == nil {
		if d, err = h.store.Delegation(c.Request.Context(), id); err == nil {
			in = DelegationInput{Name: d.Name, Region: d.Region}
			err = web.BindJSON(c, &in)
		}
	}
	if err == nil {
		d, err = h.store.UpdateDelegation(c.Request.Context(), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
