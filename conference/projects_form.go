package conference

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// formData is the data of the project form: the values as typed, so a
// form with a mistake comes back as it was sent.
type formData struct {
	Action      string
	Title       string // catalogue key of the heading
	Edition     Edition
	Input       ProjectInput
	Keywords    string
	Delegations []Delegation
	Kinds       []string
	Industries  []string
	Error       *web.ErrorInfo
}

func readProjectForm(c *gin.Context) ProjectInput {
	in := ProjectInput{Kind: c.PostForm("kind"), Title: c.PostForm("title"), Summary: c.PostForm("summary"),
		Industry: c.PostForm("industry"), Organisation: c.PostForm("organisation"),
		ContactName: c.PostForm("contact_name"), ContactPhone: c.PostForm("contact_phone"),
		Major: c.PostForm("major") != ""}
	in.DelegationID, _ = strconv.ParseInt(c.PostForm("delegation_id"), 10, 64)
	in.Keywords = splitKeywords(c.PostForm("keywords"))
	return in
}

func (h *ProjectHandlers) renderForm(c *gin.Context, status int, editionID int64, f formData) {
	ctx := c.Request.Context()
	var err error
	if f.Edition, err = h.store.Edition(ctx, editionID); err == nil {
		if f.Delegations, err = h.store.Delegations(ctx, editionID); err == nil {
			f.Industries, err = h.store.Industries(ctx)
		}
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	f.Kinds = Kinds
	if f.Keywords == "" {
		f.Keywords = joinKeywords(f.Input.Keywords)
	}
	h.site.HTML(c, status, "projects/form", f.Title, f)
}

func (h *ProjectHandlers) newPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	in := ProjectInput{Kind: KindAchievement}
	if who := web.IdentityOf(c); who.Is(web.RoleDelegation) {
		in.DelegationID = who.DelegationID
	}
	h.renderForm(c, http.StatusOK, id, formData{Action: "/editions/" + strconv.FormatInt(id, 10) + "/projects",
		Title: "projects.new_title", Input: in})
}

func (h *ProjectHandlers) createForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	in := readProjectForm(c)
	p, err := h.store.CreateProject(c.Request.Context(), web.IdentityOf(c), id, in)
	if err == nil {
		h.site.Redirect(c, "/projects/"+strconv.FormatInt(p.ID, 10), "projects.created")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderForm(c, status, id, formData{Action: "/editions/" + strconv.FormatInt(id, 10) + "/projects",
			Title: "projects.new_title", Input: in, Keywords: c.PostForm("keywords"), Error: info})
	}
}

func (h *ProjectHandlers) editPage(c *gin.Context) {
	p, err := h.projectOf(c)
	if err == nil {
		err = canEdit(web.IdentityOf(c), p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderForm(c, http.StatusOK, p.EditionID, formData{Action: "/projects/" + strconv.FormatInt(p.ID, 10),
		Title: "projects.edit_title", Input: inputOf(p)})
}

func (h *ProjectHandlers) updateForm(c *gin.Context) {
	p, err := h.projectOf(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	in := readProjectForm(c)
	if !web.IdentityOf(c).Is(web.RoleOrganiser) {
		in.DelegationID = p.DelegationID // the form offers no choice
	}
	if _, err = h.store.UpdateProject(c.Request.Context(), web.IdentityOf(c), p.ID, in); err == nil {
		h.site.Redirect(c, "/projects/"+strconv.FormatInt(p.ID, 10), "projects.saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderForm(c, status, p.EditionID, formData{Action: "/projects/" + strconv.FormatInt(p.ID, 10),
			Title: "projects.edit_title", Input: in, Keywords: c.PostForm("keywords"), Error: info})
	}
}

// importData is the data of the import page.
type importData struct {
	Edition      Edition
	Delegations  []Delegation
	DelegationID int64
	Imported     int
	Error        *web.ErrorInfo
}

func (h *ProjectHandlers) renderImport(c *gin.Context, status int, d importData) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		d.Edition, err = h.store.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Delegations, err = h.store.Delegations(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "projects/import", "projects.import_title", d)
}

func (h *ProjectHandlers) importPage(c *gin.Context) {
	h.renderImport(c, http.StatusOK, importData{})
}

func (h *ProjectHandlers) importForm(c *gin.Context) {
	n, err := h.importFile(c)
	d := importData{Imported: n}
	d.DelegationID, _ = strconv.ParseInt(c.PostForm("delegation_id"), 10, 64)
	if err == nil {
		h.renderImport(c, http.StatusOK, d)
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		d.Error = info
		h.renderImport(c, status, d)
	}
}
