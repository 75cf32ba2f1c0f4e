package conference

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

// ProjectHandlers serve projects, their import and the cloud hall.
type ProjectHandlers struct {
	site   *web.Site
	store  *Store
	limits sheet.Limits
	zones  ZoneDirectory // nil until booths exist: no zone filter
}

// NewProjectHandlers wires the project handlers; limits bound uploads
// (the zero value takes the sheet package's defaults).
func NewProjectHandlers(site *web.Site, store *Store, limits sheet.Limits) *ProjectHandlers {
	return &ProjectHandlers{site: site, store: store, limits: limits}
}

// Register adds the routes. Reading needs an account (a delegation sees
// its own projects only); the cloud hall under /hall is public.
func (h *ProjectHandlers) Register(r *gin.Engine) {
	in := h.site.SignedIn()
	writers := h.site.Require(web.RoleOrganiser, web.RoleDelegation)
	org := h.site.Require(web.RoleOrganiser)
	api := r.Group("/api/v1")
	api.GET("/editions/:id/projects", in, h.apiList)
	api.POST("/editions/:id/projects", writers, h.apiCreate)
	api.GET("/editions/:id/projects/template.xlsx", in, h.template)
	api.POST("/editions/:id/projects/import", writers, h.site.ImportSlot(), h.apiImport)
	api.PUT("/editions/:id/quota", org, h.apiSetQuota)
	api.GET("/projects/:id", in, h.apiGet)
	api.PATCH("/projects/:id", writers, h.apiUpdate)
	api.POST("/projects/:id/status", writers, h.apiStatus)
	api.GET("/projects/:id/history", in, h.apiHistory)
	api.GET("/industries", h.apiIndustries)
	api.POST("/industries", org, h.apiAddIndustry)
	api.GET("/hall/editions/:id/projects", h.apiHall)
	h.registerPages(r, in, writers, org)
}

// filterOf reads the list filters from the query.
func filterOf(c *gin.Context) (ProjectFilter, error) {
	f := ProjectFilter{Q: c.Query("q"), Kind: c.Query("kind"), Industry: c.Query("industry"), Status: c.Query("status")}
	if s := strings.TrimSpace(c.Query("delegation_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return f, apperr.Field("delegation_id", "error.not_a_number", nil)
		}
		f.DelegationID = id
	}
	var err error
	f.ZoneID, err = parseZoneID(strings.TrimSpace(c.Query("zone_id")))
	return f, err
}

func (h *ProjectHandlers) list(c *gin.Context, public bool) {
	id, err := web.ParamID(c, "id")
	var f ProjectFilter
	var p web.Paging
	if err == nil {
		f, err = filterOf(c)
	}
	if err == nil {
		err = h.applyZone(c.Request.Context(), id, &f)
	}
	if err == nil {
		p, err = web.ParsePaging(c)
	}
	var ps []Project
	var total int
	if err == nil {
		f.Public = public
		var who *web.Identity
		if !public {
			who = web.IdentityOf(c)
		}
		ps, total, err = h.store.Projects(c.Request.Context(), who, id, f, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if public {
		for i := range ps {
			ps[i].ContactPhone = "" // the hall shows who to ask, not their number
		}
	}
	c.JSON(http.StatusOK, web.NewList(ps, total, p))
}

func (h *ProjectHandlers) apiList(c *gin.Context) { h.list(c, false) }
func (h *ProjectHandlers) apiHall(c *gin.Context) { h.list(c, true) }

// projectOf reads the project the path's ID names, as the signed-in user
// may see it.
func (h *ProjectHandlers) projectOf(c *gin.Context) (Project, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Project{}, err
	}
	return h.store.Project(c.Request.Context(), web.IdentityOf(c), id)
}

func (h *ProjectHandlers) apiCreate(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in ProjectInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Project
	if err == nil {
		p, err = h.store.CreateProject(c.Request.Context(), web.IdentityOf(c), id, in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

func (h *ProjectHandlers) apiGet(c *gin.Context) {
	p, err := h.projectOf(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *ProjectHandlers) apiUpdate(c *gin.Context) {
	p, err := h.projectOf(c)
	if err == nil {
		// PATCH: start from the stored project so omitted fields stay.
		in := inputOf(p)
		if err = web.BindJSON(c, &in); err == nil {
			p, err = h.store.UpdateProject(c.Request.Context(), web.IdentityOf(c), p.ID, in)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type statusInput struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

func (h *ProjectHandlers) apiStatus(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in statusInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var p Project
	if err == nil {
		p, err = h.store.SetProjectStatus(c.Request.Context(), web.IdentityOf(c), id, in.Status, in.Note)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (h *ProjectHandlers) apiHistory(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var hist []StatusChange
	if err == nil {
		hist, err = h.store.ProjectHistory(c.Request.Context(), web.IdentityOf(c), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(hist, len(hist), web.Paging{Page: 1, PerPage: max(len(hist), 1)}))
}

func (h *ProjectHandlers) apiSetQuota(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in struct {
		SelectedQuota *int `json:"selected_quota"`
	}
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var e Edition
	if err == nil {
		e, err = h.store.SetSelectedQuota(c.Request.Context(), id, in.SelectedQuota)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (h *ProjectHandlers) apiIndustries(c *gin.Context) {
	names, err := h.store.Industries(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": names})
}

func (h *ProjectHandlers) apiAddIndustry(c *gin.Context) {
	var in struct {
		Name string `json:"name"`
	}
	err := web.BindJSON(c, &in)
	if err == nil {
		err = h.store.AddIndustry(c.Request.Context(), in.Name)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"name": strings.TrimSpace(in.Name)})
}

// template answers the import template workbook.
func (h *ProjectHandlers) template(c *gin.Context) {
	if _, err := web.ParamID(c, "id"); err != nil {
		h.site.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := h.store.WriteProjectTemplate(c.Request.Context(), &buf); err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="projects-template.xlsx"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// importFile runs an upload through the store: the multipart field file
// and an optional delegation_id (organisers import for any delegation).
func (h *ProjectHandlers) importFile(c *gin.Context) (int, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return 0, err
	}
	lim := h.limits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = sheet.DefaultMaxBytes
	}
	f, name, err := sheet.Upload(c.Writer, c.Request, "file", lim.MaxBytes)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	delegationID, err := web.FormInt64(c, "delegation_id")
	if err != nil {
		return 0, err
	}
	return h.store.ImportProjects(c.Request.Context(), web.IdentityOf(c), id, delegationID, f, name,
		ImportOptions{Limits: lim})
}

func (h *ProjectHandlers) apiImport(c *gin.Context) {
	n, err := h.importFile(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"imported": n})
}
