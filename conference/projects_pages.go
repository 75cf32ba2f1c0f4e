package conference

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

func (h *ProjectHandlers) registerPages(r *gin.Engine, in, writers, org gin.HandlerFunc) {
	r.GET("/projects", in, h.projectsHome)
	r.GET("/editions/:id/projects", in, h.listPage)
	r.GET("/editions/:id/projects/new", writers, h.newPage)
	r.POST("/editions/:id/projects", writers, h.createForm)
	r.GET("/editions/:id/projects/import", writers, h.importPage)
	r.POST("/editions/:id/projects/import", writers, h.site.ImportSlot(), h.importForm)
	r.POST("/editions/:id/quota", org, h.quotaForm)
	r.POST("/editions/:id/industries", org, h.industryForm)
	r.GET("/projects/:id", in, h.showPage)
	r.GET("/projects/:id/edit", writers, h.editPage)
	r.POST("/projects/:id", writers, h.updateForm)
	r.POST("/projects/:id/status", writers, h.statusForm)
	r.GET("/hall", h.hallHome)
	r.GET("/hall/editions/:id", h.hallPage)
	r.GET("/hall/projects/:id", h.hallProject)
}

// newestEdition is where /projects and /hall lead: a delegation account
// goes to its own delegation's edition.
func (h *ProjectHandlers) newestEdition(c *gin.Context) (int64, bool) {
	if id := web.IdentityOf(c); id.Is(web.RoleDelegation) && id.DelegationID != 0 {
		if d, err := h.store.Delegation(c.Request.Context(), id.DelegationID); err == nil {
			return d.EditionID, true
		}
	}
	es, _, err := h.store.Editions(c.Request.Context(), web.Paging{Page: 1, PerPage: 1})
	if err != nil {
		h.site.Fail(c, err)
		return 0, false
	}
	if len(es) == 0 {
		h.site.Fail(c, errEditionNotFound)
		return 0, false
	}
	return es[0].ID, true
}

func (h *ProjectHandlers) projectsHome(c *gin.Context) {
	if id, ok := h.newestEdition(c); ok {
		c.Redirect(http.StatusSeeOther, "/editions/"+strconv.FormatInt(id, 10)+"/projects")
	}
}

// listData is the data of the project list, the review page and the hall.
type listData struct {
	Edition     Edition
	Editions    []Edition
	Filter      ProjectFilter
	List        web.List[Project]
	Delegations []Delegation
	Names       map[int64]string // delegation names by ID
	Kinds       []string
	Statuses    []string
	Industries  []string
	Prev, Next  string // links to the neighbouring pages, "" at the ends
	Moves       map[int64][]string
	Zones       []HallZone // the edition's zones, when booths exist
	ZoneChips   []zoneChip // the hall's zone links, "all" first
	Error       *web.ErrorInfo
}

// pageLinks sets Prev and Next: the same list and filters, a page on.
func (d *listData) pageLinks(u *url.URL) {
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	if d.List.Page > 1 {
		d.Prev = link(d.List.Page - 1)
	}
	if d.List.Page < d.List.Pages() {
		d.Next = link(d.List.Page + 1)
	}
}

func (h *ProjectHandlers) loadList(c *gin.Context, public bool) (listData, error) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	if err != nil {
		return listData{}, err
	}
	d := listData{Kinds: Kinds, Statuses: Statuses}
	if d.Filter, err = filterOf(c); err != nil {
		return d, err
	}
	if err = h.applyZone(ctx, id, &d.Filter); err != nil {
		return d, err
	}
	d.Filter.Public = public
	p, err := web.ParsePaging(c)
	if err != nil {
		return d, err
	}
	if !c.Request.URL.Query().Has("per_page") {
		p.PerPage = 20
	}
	var who *web.Identity
	if !public {
		who = web.IdentityOf(c)
	}
	ps, total, err := h.store.Projects(ctx, who, id, d.Filter, p)
	if err != nil {
		return d, err
	}
	d.List = web.NewList(ps, total, p)
	if err := h.fillChoices(ctx, id, &d); err != nil {
		return d, err
	}
	d.pageLinks(c.Request.URL)
	return d, nil
}

func (h *ProjectHandlers) fillChoices(ctx context.Context, editionID int64, d *listData) error {
	var err error
	if d.Edition, err = h.store.Edition(ctx, editionID); err != nil {
		return err
	}
	if d.Delegations, err = h.store.Delegations(ctx, editionID); err != nil {
		return err
	}
	d.Names = map[int64]string{}
	for _, del := range d.Delegations {
		d.Names[del.ID] = del.Name
	}
	d.Industries, err = h.store.Industries(ctx)
	return err
}

func (h *ProjectHandlers) listPage(c *gin.Context) {
	d, err := h.loadList(c, false)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	who := web.IdentityOf(c)
	d.Moves = map[int64][]string{}
	for _, p := range d.List.Items {
		d.Moves[p.ID] = MovesFor(who, p)
	}
	h.site.HTML(c, http.StatusOK, "projects/list", "projects.title", d)
}

func (h *ProjectHandlers) quotaForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var quota *int
	if s := strings.TrimSpace(c.PostForm("selected_quota")); err == nil && s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil {
			err = apperr.Field("selected_quota", "error.not_a_number", nil)
		}
		quota = &n
	}
	if err == nil {
		_, err = h.store.SetSelectedQuota(c.Request.Context(), id, quota)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/projects", "projects.quota_saved")
}

// industryForm adds an industry from the project list; the list's drop-
// downs and the import template offer it from then on.
func (h *ProjectHandlers) industryForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.AddIndustry(c.Request.Context(), c.PostForm("name"))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/projects", "projects.industry_added")
}

// showData is the data of a project's page.
type showData struct {
	Project    Project
	Delegation Delegation
	Edition    Edition
	History    []StatusChange
	Moves      []string
	CanEdit    bool
	Error      *web.ErrorInfo
}

func (h *ProjectHandlers) showPage(c *gin.Context) { h.renderShow(c, http.StatusOK, nil) }

func (h *ProjectHandlers) renderShow(c *gin.Context, status int, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	who := web.IdentityOf(c)
	id, err := web.ParamID(c, "id")
	d := showData{Error: info}
	if err == nil {
		d.Project, err = h.store.Project(ctx, who, id)
	}
	if err == nil {
		d.History, err = h.store.ProjectHistory(ctx, who, id)
	}
	if err == nil {
		d.Delegation, err = h.store.Delegation(ctx, d.Project.DelegationID)
	}
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, d.Project.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Moves, d.CanEdit = MovesFor(who, d.Project), CanEdit(who, d.Project)
	h.site.HTML(c, status, "projects/show", "projects.show_title", d)
}

func (h *ProjectHandlers) statusForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.SetProjectStatus(c.Request.Context(), web.IdentityOf(c), id,
			c.PostForm("status"), c.PostForm("note"))
	}
	if err == nil {
		back := web.SafeNext(c.PostForm("next"), "/projects/"+strconv.FormatInt(id, 10))
		h.site.Redirect(c, back, "projects.status_saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderShow(c, status, info)
	}
}
