package reports

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/i18n"
	"huizhan/internal/web"
)

// editions lists every edition, newest first, for the reports page.
func (r *Reports) editions(ctx context.Context) ([]Edition, error) {
	var eds []Edition
	err := r.db.R.SelectContext(ctx, &eds, `SELECT id, number, name, year, starts_on, ends_on, city FROM editions ORDER BY number DESC`)
	if err != nil {
		return nil, fmt.Errorf("list editions: %w", err)
	}
	return eds, nil
}

// indexPage lists the editions with their dashboards and workbooks. A
// delegation account sees its own edition only.
func (h *Handlers) indexPage(c *gin.Context) {
	eds, err := h.reports.editions(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if who := web.IdentityOf(c); who.Is(web.RoleDelegation) {
		var own []Edition
		for _, e := range eds {
			if _, _, err := h.scope(c, e.ID); err == nil {
				own = append(own, e)
			}
		}
		eds = own
	}
	h.site.HTML(c, http.StatusOK, "reports/index", "reports.title", gin.H{"Editions": eds, "Names": Names})
}

// latestDashboard sends /dashboard to the newest edition's dashboard.
func (h *Handlers) latestDashboard(c *gin.Context) {
	eds, err := h.reports.editions(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for _, e := range eds {
		if _, _, err := h.scope(c, e.ID); err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/editions/%d/dashboard", e.ID))
			return
		}
	}
	h.site.Fail(c, apperr.New(apperr.NotFound, "edition.not_found"))
}

// figure is one key figure card of the dashboard.
type figure struct {
	Label           string
	Current, Before string
	Growth          string
	HasBefore       bool
}

// chartView is one chart of the dashboard with its heading.
type chartView struct {
	Title string
	SVG   template.HTML
}

// dashboardView is what the dashboard template shows.
type dashboardView struct {
	Summary  *Summary
	Figures  []figure
	Charts   []chartView
	Names    []string
	Live     bool // the account may follow the check-in stream
	Counters Counters
}

func (h *Handlers) dashboardPage(c *gin.Context) {
	d, err := h.dashboard(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	l := h.site.L(c)
	s := d.Summary
	v := dashboardView{Summary: s, Names: Names, Counters: d.Counters,
		Live: web.IdentityOf(c).Is(web.RoleOrganiser, web.RoleLeader)}
	for _, r := range s.Overview.Rows {
		v.Figures = append(v.Figures, figure{Label: l.T(r.Name, nil), Current: number(r.Current()),
			Before: number(r.Previous()), Growth: r.Growth(), HasBefore: len(r.Values) > 1})
	}
	v.Charts = dashboardCharts(l, s)
	h.site.HTML(c, http.StatusOK, "reports/dashboard", "reports.dashboard_title", v)
}

// yoyMetrics are the overview lines the year-over-year chart compares.
var yoyMetrics = []string{"reports.metric.projects", "reports.metric.demands", "reports.metric.booths",
	"reports.metric.people", "reports.metric.pairings", "reports.metric.effective", "reports.metric.agreements"}

// dashboardCharts draws the year-over-year figures, projects by
// delegation, the pairing funnel and check-ins per day.
func dashboardCharts(l *i18n.Localizer, s *Summary) []chartView {
	var eds []string
	for _, e := range s.Editions {
		eds = append(eds, l.T("reports.edition_n", map[string]any{"Number": e.Number}))
	}
	yoy := bars{Title: l.T("reports.yoy", nil), Series: eds, PerCategory: true}
	for _, r := range s.Overview.Rows {
		for _, m := range yoyMetrics {
			if r.Name == m {
				yoy.Categories = append(yoy.Categories, l.T(m, nil))
				yoy.Values = append(yoy.Values, r.Values)
			}
		}
	}
	del := bars{Title: l.T("reports.chart.by_delegation", nil), Series: eds}
	for _, r := range s.ByDelegation.Rows {
		del.Categories = append(del.Categories, r.Name)
		del.Values = append(del.Values, r.Values)
	}
	fun := bars{Title: l.T("reports.chart.funnel", nil), Series: []string{l.T("reports.col.reached", nil)}}
	for _, st := range s.Stages {
		fun.Categories = append(fun.Categories, l.Label("reports.stage", st.Stage))
		fun.Values = append(fun.Values, []float64{float64(st.Reached)})
	}
	days := bars{Title: l.T("reports.chart.days", nil),
		Series: []string{l.T("reports.col.accepted", nil), l.T("reports.col.people", nil)}}
	for _, d := range s.Days {
		days.Categories = append(days.Categories, d.Day)
		days.Values = append(days.Values, []float64{float64(d.Accepted), float64(d.People)})
	}
	var out []chartView
	for _, c := range []bars{yoy, del, fun, days} {
		out = append(out, chartView{Title: c.Title, SVG: c.SVG()})
	}
	return out
}
