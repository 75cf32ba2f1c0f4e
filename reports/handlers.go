package reports

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Handlers serve the workbooks, the dashboard and its JSON.
type Handlers struct {
	site    *web.Site
	reports *Reports
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, r *Reports) *Handlers {
	return &Handlers{site: site, reports: r}
}

// Register adds the routes. Organisers and leaders see every row; a
// delegation account sees its own delegation's rows of its own edition.
func (h *Handlers) Register(r *gin.Engine) {
	readers := h.site.Require(web.RoleOrganiser, web.RoleLeader, web.RoleDelegation)
	api := r.Group("/api/v1")
	// gin cannot route "{name}.xlsx" as a parameter with a suffix, so the
	// whole file name is the parameter and the suffix is checked here.
	api.GET("/editions/:id/reports/:file", readers, h.apiWorkbook)
	api.GET("/editions/:id/dashboard", readers, h.apiDashboard)
	r.GET("/reports", readers, h.indexPage)
	r.GET("/dashboard", readers, h.latestDashboard)
	r.GET("/editions/:id/dashboard", readers, h.dashboardPage)
}

// scope is the delegation whose rows the account may see in the edition:
// 0 for organisers and leaders. A delegation account asking about an
// edition its delegation is not part of is refused.
func (h *Handlers) scope(c *gin.Context, editionID int64) (id int64, name string, err error) {
	who := web.IdentityOf(c)
	if !who.Is(web.RoleDelegation) {
		return 0, "", nil
	}
	name, err = h.reports.delegationName(c.Request.Context(), editionID, who.DelegationID)
	if err != nil && apperr.KindOf(err) == apperr.NotFound {
		// Tell an edition that does not exist from one that is not theirs.
		if _, err := h.reports.edition(c.Request.Context(), editionID); err != nil {
			return 0, "", err
		}
		return 0, "", apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return who.DelegationID, name, err
}

// lang is the workbook's language: ?lang= when given, else the request's.
func lang(c *gin.Context) string {
	switch q := c.Query("lang"); q {
	case "en", "zh-CN":
		return q
	}
	return web.LangOf(c)
}

// request reads the edition, the workbook's name and the account's scope.
func (h *Handlers) request(c *gin.Context) (Request, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Request{}, err
	}
	name, ok := strings.CutSuffix(c.Param("file"), ".xlsx")
	if !ok || !Valid(name) {
		return Request{}, apperr.New(apperr.NotFound, "reports.unknown")
	}
	del, _, err := h.scope(c, id)
	if err != nil {
		return Request{}, err
	}
	who := web.IdentityOf(c)
	return Request{Name: name, EditionID: id, DelegationID: del, Lang: lang(c), By: who.Username,
		MaskPhones: !who.Is(web.RoleOrganiser, web.RoleDelegation)}, nil
}

func (h *Handlers) apiWorkbook(c *gin.Context) {
	req, err := h.request(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	filename, err := h.reports.Filename(ctx, req)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	wb, err := h.reports.Build(ctx, req)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", ContentDisposition(filename, fmt.Sprintf("huizhan-%s-%d.xlsx", req.Name, req.EditionID)))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if err := wb.Send(c.Writer); err != nil {
		// The status is sent; all that is left is to log it.
		h.site.Log.Error("send workbook", "report", req.Name, "edition", req.EditionID, "err", err, "request_id", web.RequestID(c))
	}
}

// Dashboard is the answer of GET /api/v1/editions/{id}/dashboard.
type Dashboard struct {
	Counters Counters `json:"counters"`
	Summary  *Summary `json:"summary"`
}

func (h *Handlers) dashboard(c *gin.Context) (*Dashboard, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	_, name, err := h.scope(c, id)
	if err != nil {
		return nil, err
	}
	s, err := h.reports.Summary(c.Request.Context(), id, name)
	if err != nil {
		return nil, err
	}
	return &Dashboard{Counters: s.Counters(), Summary: s}, nil
}

func (h *Handlers) apiDashboard(c *gin.Context) {
	d, err := h.dashboard(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
