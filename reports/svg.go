package reports

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// palette colours the series of a chart, oldest edition first.
var palette = []string{"#9db4d0", "#5b8ac4", "#1f4e9c", "#e08a2c", "#6aa84f", "#a64d79"}

// bars is a horizontal grouped bar chart drawn as SVG on the server, so
// the dashboard needs no charting library and works without JavaScript.
type bars struct {
	Title      string
	Categories []string
	Series     []string    // one bar of each category per series
	Values     [][]float64 // [category][series]
	// PerCategory scales each category to its own largest value, so
	// figures of different sizes (people and agreements) stay readable;
	// the numbers are printed beside the bars.
	PerCategory bool
}

const (
	svgWidth  = 640
	labelW    = 170
	valueW    = 70
	barH      = 14
	groupGap  = 10
	legendRow = 24
)

// SVG renders the chart. Every text is escaped; the result is safe HTML.
func (c bars) SVG() template.HTML {
	if len(c.Categories) == 0 {
		return ""
	}
	n := max(1, len(c.Series))
	groupH := n*barH + groupGap
	height := legendRow + len(c.Categories)*groupH + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		svgWidth, height, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))
	for i, s := range c.Series { // legend
		x := labelW + i*110
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="16" font-size="12">%s</text>`,
			x, palette[i%len(palette)], x+16, esc(s))
	}
	global := 0.0
	for _, row := range c.Values {
		for _, v := range row {
			global = math.Max(global, v)
		}
	}
	for ci, cat := range c.Categories {
		y := legendRow + ci*groupH
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`,
			labelW-6, y+n*barH/2+4, esc(cat))
		scale := global
		if c.PerCategory {
			scale = 0
			for _, v := range c.Values[ci] {
				scale = math.Max(scale, v)
			}
		}
		for si, v := range c.Values[ci] {
			w := 0.0
			if scale > 0 {
				w = v / scale * float64(svgWidth-labelW-valueW)
			}
			by := y + si*barH
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s · %s: %s</title></rect>`,
				labelW, by+1, w, barH-2, palette[si%len(palette)], esc(cat), esc(c.seriesName(si)), number(v))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%s</text>`, float64(labelW)+w+4, by+barH-3, number(v))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped parts above
}

func (c bars) seriesName(i int) string {
	if i < len(c.Series) {
		return c.Series[i]
	}
	return ""
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// number prints a figure without a fraction when it is whole.
func number(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
