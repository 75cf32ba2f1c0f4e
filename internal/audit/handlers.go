package audit

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// china is the zone dates in filters are read in and times shown in.
var china = time.FixedZone("CST", 8*3600)

// Handlers serve the trail to organisers and leaders, read-only: there is
// no route that changes it.
type Handlers struct {
	site  *web.Site
	store *Store
}

// NewHandlers wires the handlers.
func NewHandlers(site *web.Site, store *Store) *Handlers { return &Handlers{site: site, store: store} }

// Register adds the routes.
func (h *Handlers) Register(r *gin.Engine) {
	readers := h.site.Require(web.RoleOrganiser, web.RoleLeader)
	r.GET("/api/v1/audit", readers, h.apiList)
	r.GET("/audit", readers, h.page)
	r.GET("/audit.xlsx", readers, h.export)
}

// RequestActor is middleware, after sign-in, that names who is behind the
// request for the trail: the signed-in account, or the public, with the
// client's address.
func RequestActor(c *gin.Context) {
	act := Actor{Account: Public, Address: c.ClientIP()}
	if id := web.IdentityOf(c); id != nil {
		act.Account = id.Username
	}
	c.Request = c.Request.WithContext(WithActor(c.Request.Context(), act))
	c.Next()
}

// filterOf reads entity, entity_id, account, from and to. from and to are
// dates (Beijing, to inclusive) or RFC 3339 times (to exclusive).
func filterOf(c *gin.Context) (Filter, error) {
	f := Filter{Entity: strings.TrimSpace(c.Query("entity")), Account: strings.TrimSpace(c.Query("account"))}
	if s := c.Query("entity_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, apperr.Field("entity_id", "error.not_a_number", nil)
		}
		f.EntityID = id
	}
	var err error
	if f.From, err = timeParam(c.Query("from"), false); err != nil {
		return f, apperr.Field("from", "audit.bad_time", nil)
	}
	if f.To, err = timeParam(c.Query("to"), true); err != nil {
		return f, apperr.Field("to", "audit.bad_time", nil)
	}
	return f, nil
}

func timeParam(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, china)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

func (h *Handlers) apiList(c *gin.Context) {
	f, err := filterOf(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	p, err := web.ParsePaging(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	es, total, err := h.store.List(c.Request.Context(), f, p)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, web.NewList(es, total, p))
}

// Row is an entry as the page shows it.
type Row struct {
	Entry
	Changes []string // "field: before → after", sorted by field
}

type pageData struct {
	Rows      []Row
	Total     int
	Paging    web.Paging
	Query     string // the filter as a query string, for paging and export
	Filter    map[string]string
	Accounts  []string
	Entities  []string
	NextPage  int
	PrevPage  int
	LastShown int
}

func (h *Handlers) page(c *gin.Context) {
	f, err := filterOf(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	p, err := web.ParsePaging(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	es, total, err := h.store.List(ctx, f, p)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d := pageData{Total: total, Paging: p, Filter: map[string]string{}}
	q := c.Request.URL.Query()
	q.Del("page")
	d.Query = q.Encode()
	for _, k := range []string{"entity", "entity_id", "account", "from", "to"} {
		d.Filter[k] = c.Query(k)
	}
	if d.Accounts, err = h.store.Accounts(ctx); err == nil {
		d.Entities, err = h.store.Entities(ctx)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for _, e := range es {
		d.Rows = append(d.Rows, Row{Entry: e, Changes: changeLines(e.Changes)})
	}
	d.LastShown = p.Offset() + len(es)
	if d.LastShown < total {
		d.NextPage = p.Page + 1
	}
	if p.Page > 1 {
		d.PrevPage = p.Page - 1
	}
	h.site.HTML(c, http.StatusOK, "audit/list", "audit.title", d)
}

func changeLines(cs map[string]Change) []string {
	keys := make([]string, 0, len(cs))
	for k := range cs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s: %s → %s", k, show(cs[k][0]), show(cs[k][1])))
	}
	return out
}

func show(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

// export writes every row the filter matches as a workbook, streamed row
// by row.
func (h *Handlers) export(c *gin.Context) {
	f, err := filterOf(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	l := h.site.L(c)
	x := excelize.NewFile()
	defer x.Close()
	sheet := l.T("audit.title", nil)
	x.SetSheetName("Sheet1", sheet)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	widths := []float64{20, 14, 16, 14, 10, 10, 80}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			h.site.Fail(c, err)
			return
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		h.site.Fail(c, err)
		return
	}
	head := []any{}
	for _, k := range []string{"audit.at", "audit.account", "audit.address", "audit.entity", "audit.entity_id", "audit.action", "audit.changes"} {
		head = append(head, l.T(k, nil))
	}
	if err := sw.SetRow("A1", head); err != nil {
		h.site.Fail(c, err)
		return
	}
	n := 1
	err = h.store.Each(c.Request.Context(), f, func(e Entry) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, []any{e.At.In(china).Format("2006-01-02 15:04:05"), e.Account, e.Address,
			e.Entity, e.EntityID, e.Action, strings.Join(changeLines(e.Changes), "; ")})
	})
	if err == nil {
		err = sw.Flush()
	}
	if err == nil {
		err = x.AutoFilter(sheet, fmt.Sprintf("A1:G%d", n), nil)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", `attachment; filename="huizhan-audit.xlsx"`)
	if err := x.Write(c.Writer); err != nil {
		h.site.Log.Error("audit export", "err", err)
	}
}
