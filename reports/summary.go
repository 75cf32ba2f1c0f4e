package reports

import (
	"context"

	"github.com/xuri/excelize/v2"
)

// writeSummary writes the summary workbook: the overview and the totals
// by delegation, zone, kind and industry beside the earlier editions,
// with growth and cumulative totals; the pairing funnel; check-ins per
// day; and native charts of the three.
func writeSummary(ctx context.Context, j *job) error {
	s, err := j.r.Summary(ctx, j.ed.ID, j.delegation)
	if err != nil {
		return err
	}
	b := j.b
	ident := func(v string) string { return v }
	if _, err := b.comparisonSheet("reports.sheet.overview", "reports.col.figure", s, s.Overview, b.T, true); err != nil {
		return err
	}
	name, err := b.comparisonSheet("reports.sheet.by_delegation", "reports.col.delegation", s, s.ByDelegation, ident, false)
	if err != nil {
		return err
	}
	if err := b.delegationChart(name, s); err != nil {
		return err
	}
	if _, err := b.comparisonSheet("reports.sheet.by_zone", "reports.col.zone", s, s.ByZone, ident, false); err != nil {
		return err
	}
	kind := func(v string) string { return b.label("reports.kind", v) }
	if _, err := b.comparisonSheet("reports.sheet.by_kind", "reports.col.kind", s, s.ByKind, kind, false); err != nil {
		return err
	}
	if _, err := b.comparisonSheet("reports.sheet.by_industry", "reports.col.industry", s, s.ByIndustry, ident, false); err != nil {
		return err
	}
	if err := b.stagesSheet(s); err != nil {
		return err
	}
	return b.daysSheet(s)
}

// comparisonSheet writes one dimension: a row per name with a column per
// edition, the growth over the previous edition and the cumulative total.
// Dimension sheets end with a totals line; the overview's lines are
// already totals.
func (b *book) comparisonSheet(key, first string, s *Summary, c Comparison, show func(string) string, overview bool) (string, error) {
	n := len(s.Editions)
	g := grid{headers: []string{b.T(first)}, widths: []float64{24}}
	for _, e := range s.Editions {
		g.headers = append(g.headers, b.l.T("reports.edition_n", map[string]any{"Number": e.Number}))
		g.widths = append(g.widths, 12)
	}
	g.headers = append(g.headers, b.T("reports.col.growth"), b.T("reports.col.cumulative"))
	g.widths = append(g.widths, 14, 14)
	total := make([]float64, n)
	for _, r := range c.Rows {
		g.rows = append(g.rows, comparisonLine(show(r.Name), r))
		for i, v := range r.Values {
			total[i] += v
		}
	}
	if !overview {
		g.after = [][]any{comparisonLine(b.T("reports.total"), ComparisonRow{Values: total})}
	}
	g.kind = func(row, col int) colKind {
		switch {
		case col == 0:
			return text
		case col == n+1:
			return percent
		case overview && row < len(c.Rows) && c.Rows[row].Name == MetricAmount:
			return decimal
		}
		return integer
	}
	return b.writeGrid(key, g)
}

func comparisonLine(name string, r ComparisonRow) []any {
	line := []any{name}
	for _, v := range r.Values {
		line = append(line, v)
	}
	return append(line, growthCell(r.Previous(), r.Current()), r.Cumulative())
}

// delegationChart is a clustered column chart of projects by delegation,
// one series per edition.
func (b *book) delegationChart(sheet string, s *Summary) error {
	rows := len(s.ByDelegation.Rows)
	if rows == 0 {
		return nil
	}
	var series []excelize.ChartSeries
	for i := range s.Editions {
		col := i + 2
		series = append(series, excelize.ChartSeries{
			Name:       ref(sheet, col, 1, col, 1),
			Categories: ref(sheet, 1, 2, 1, rows+1),
			Values:     ref(sheet, col, 2, col, rows+1),
		})
	}
	cell, _ := excelize.CoordinatesToCellName(len(s.Editions)+5, 2)
	return b.f.AddChart(sheet, cell, &excelize.Chart{
		Type: excelize.Col, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.T("reports.chart.by_delegation")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
	})
}

// stagesSheet writes the pairing funnel and its bar chart, first stage
// on top.
func (b *book) stagesSheet(s *Summary) error {
	g := grid{
		headers: []string{b.T("reports.col.stage"), b.T("reports.col.at_stage"), b.T("reports.col.reached")},
		widths:  []float64{20, 14, 14},
		kind: func(_, col int) colKind {
			if col == 0 {
				return text
			}
			return integer
		},
	}
	for _, st := range s.Stages {
		g.rows = append(g.rows, []any{b.label("reports.stage", st.Stage), st.At, st.Reached})
	}
	name, err := b.writeGrid("reports.sheet.stages", g)
	if err != nil {
		return err
	}
	n := len(s.Stages)
	return b.f.AddChart(name, "E2", &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{Name: ref(name, 3, 1, 3, 1),
			Categories: ref(name, 1, 2, 1, n+1), Values: ref(name, 3, 2, 3, n+1)}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.T("reports.chart.funnel")}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		Dimension: excelize.ChartDimension{Width: 600, Height: 320},
	})
}

// daysSheet writes the check-ins per day and their column chart.
func (b *book) daysSheet(s *Summary) error {
	g := grid{
		headers: []string{b.T("reports.col.day"), b.T("reports.col.accepted"), b.T("reports.col.people")},
		widths:  []float64{14, 14, 14},
		kind: func(_, col int) colKind {
			if col == 0 {
				return text
			}
			return integer
		},
	}
	for _, d := range s.Days {
		g.rows = append(g.rows, []any{d.Day, d.Accepted, d.People})
	}
	name, err := b.writeGrid("reports.sheet.days", g)
	if err != nil || len(s.Days) == 0 {
		return err
	}
	n := len(s.Days)
	return b.f.AddChart(name, "E2", &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{
			{Name: ref(name, 2, 1, 2, 1), Categories: ref(name, 1, 2, 1, n+1), Values: ref(name, 2, 2, 2, n+1)},
			{Name: ref(name, 3, 1, 3, 1), Categories: ref(name, 1, 2, 1, n+1), Values: ref(name, 3, 2, 3, n+1)},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.T("reports.chart.days")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 600, Height: 320},
	})
}
