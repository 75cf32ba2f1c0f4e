package conference

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

type editionsData struct {
	Editions []Edition
}

func (h *Handlers) listEditions(c *gin.Context, page, title string) {
	es, _, err := h.store.Editions(c.Request.Context(), web.Paging{Page: 1, PerPage: web.MaxPerPage})
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, page, title, editionsData{Editions: es})
}

func (h *Handlers) homePage(c *gin.Context)     { h.listEditions(c, "home", "home.title") }
func (h *Handlers) editionsPage(c *gin.Context) { h.listEditions(c, "editions/list", "editions.title") }

type editionData struct {
	Edition     Edition
	Delegations []Delegation
	Form        DelegationInput
	Error       *web.ErrorInfo
}

func (h *Handlers) editionPage(c *gin.Context) {
	h.showEdition(c, http.StatusOK, DelegationInput{}, nil)
}

func (h *Handlers) showEdition(c *gin.Context, status int, form DelegationInput, info *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	d := editionData{Form: form, Error: info}
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
	h.site.HTML(c, status, "editions/show", "editions.show_title", d)
}

// editionForm is the edition form's data: the values as typed, so a form
// with a mistake comes back as it was sent.
type editionForm struct {
	Action   string
	Title    string // catalogue key of the heading
	Number   string
	Name     string
	Year     string
	StartsOn string
	EndsOn   string
	City     string
	Source   *Edition // set when copying
	Error    *web.ErrorInfo
}

func formOf(e Edition) editionForm {
	return editionForm{Number: strconv.Itoa(e.Number), Name: e.Name, Year: strconv.Itoa(e.Year),
		StartsOn: e.StartsOn.String(), EndsOn: e.EndsOn.String(), City: e.City}
}

// readEditionForm parses the posted form; unparseable fields are reported
// with the validation errors in one list.
func readEditionForm(c *gin.Context) (editionForm, EditionInput, error) {
	f := editionForm{Number: c.PostForm("number"), Name: c.PostForm("name"), Year: c.PostForm("year"),
		StartsOn: c.PostForm("starts_on"), EndsOn: c.PostForm("ends_on"), City: c.PostForm("city")}
	in := EditionInput{Name: f.Name, City: f.City}
	var bad []apperr.Detail
	num := func(field, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			bad = append(bad, apperr.Detail{Field: field, Key: "error.not_a_number"})
		}
		return n
	}
	date := func(field, s string) civil.Date {
		if strings.TrimSpace(s) == "" {
			return civil.Date{}
		}
		d, err := civil.Parse(s)
		if err != nil {
			bad = append(bad, apperr.Detail{Field: field, Key: "error.date_format"})
		}
		return d
	}
	in.Number, in.Year = num("number", f.Number), num("year", f.Year)
	in.StartsOn, in.EndsOn = date("starts_on", f.StartsOn), date("ends_on", f.EndsOn)
	if len(bad) > 0 {
		return f, in, apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(bad...)
	}
	return f, in, nil
}

func (h *Handlers) renderEditionForm(c *gin.Context, status int, f editionForm) {
	h.site.HTML(c, status, "editions/form", f.Title, f)
}

func (h *Handlers) newEditionPage(c *gin.Context) {
	h.renderEditionForm(c, http.StatusOK, editionForm{Action: "/editions", Title: "editions.new_title"})
}

func (h *Handlers) createEditionForm(c *gin.Context) {
	f, in, err := readEditionForm(c)
	f.Action, f.Title = "/editions", "editions.new_title"
	var e Edition
	if err == nil {
		e, err = h.store.CreateEdition(c.Request.Context(), in)
	}
	h.afterEditionForm(c, f, e, err, "editions.created")
}

func (h *Handlers) afterEditionForm(c *gin.Context, f editionForm, e Edition, err error, flash string) {
	if err == nil {
		h.site.Redirect(c, "/editions/"+strconv.FormatInt(e.ID, 10), flash)
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		f.Error = info
		h.renderEditionForm(c, status, f)
	}
}

func (h *Handlers) editEditionPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var e Edition
	if err == nil {
		e, err = h.store.Edition(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	f := formOf(e)
	f.Action, f.Title = "/editions/"+strconv.FormatInt(id, 10), "editions.edit_title"
	h.renderEditionForm(c, http.StatusOK, f)
}

func (h *Handlers) updateEditionForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	f, in, err := readEditionForm(c)
	f.Action, f.Title = "/editions/"+strconv.FormatInt(id, 10), "editions.edit_title"
	var e Edition
	if err == nil {
		e, err = h.store.UpdateEdition(c.Request.Context(), id, in)
	}
	h.afterEditionForm(c, f, e, err, "editions.saved")
}

func (h *Handlers) copySource(c *gin.Context) (Edition, bool) {
	id, err := web.ParamID(c, "id")
	var src Edition
	if err == nil {
		src, err = h.store.Edition(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return Edition{}, false
	}
	return src, true
}

// copyEditionPage proposes next year's edition: number + 1, dates a year on.
func (h *Handlers) copyEditionPage(c *gin.Context) {
	src, ok := h.copySource(c)
	if !ok {
		return
	}
	next := src
	next.Number, next.Year = src.Number+1, src.Year+1
	next.StartsOn, next.EndsOn = src.StartsOn.AddDays(364), src.EndsOn.AddDays(364)
	next.Name = ""
	f := formOf(next)
	f.Action, f.Title, f.Source = "/editions/"+strconv.FormatInt(src.ID, 10)+"/copy", "editions.copy_title", &src
	h.renderEditionForm(c, http.StatusOK, f)
}

func (h *Handlers) copyEditionForm(c *gin.Context) {
	src, ok := h.copySource(c)
	if !ok {
		return
	}
	f, in, err := readEditionForm(c)
	f.Action, f.Title, f.Source = "/editions/"+strconv.FormatInt(src.ID, 10)+"/copy", "editions.copy_title", &src
	var e Edition
	if err == nil {
		e, err = h.store.CopyEdition(c.Request.Context(), src.ID, in)
	}
	h.afterEditionForm(c, f, e, err, "editions.copied")
}

func (h *Handlers) createDelegationForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	in := DelegationInput{Name: c.PostForm("name"), Region: c.PostForm("region")}
	if err == nil {
		_, err = h.store.CreateDelegation(c.Request.Context(), id, in)
	}
	if err == nil {
		h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10), "delegations.created")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.showEdition(c, status, in, info)
	}
}

type delegationForm struct {
	Delegation Delegation
	Form       DelegationInput
	Error      *web.ErrorInfo
}

func (h *Handlers) editDelegationPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Delegation
	if err == nil {
		d, err = h.store.Delegation(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "delegations/edit", "delegations.edit_title",
		delegationForm{Delegation: d, Form: DelegationInput{Name: d.Name, Region: d.Region}})
}

func (h *Handlers) updateDelegationForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d Delegation
	if err == nil {
		d, err = h.store.Delegation(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	in := DelegationInput{Name: c.PostForm("name"), Region: c.PostForm("region")}
	if _, err = h.store.UpdateDelegation(c.Request.Context(), id, in); err == nil {
		h.site.Redirect(c, "/editions/"+strconv.FormatInt(d.EditionID, 10), "delegations.saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.site.HTML(c, status, "delegations/edit", "delegations.edit_title",
			delegationForm{Delegation: d, Form: in, Error: info})
	}
}
