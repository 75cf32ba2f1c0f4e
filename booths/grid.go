package booths

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// GridInput lays out rows × columns of equal booths in one zone. Pattern
// names the codes: a run of # is the booth's number, zero-padded to the
// run's length, counting from Start along each row ("A##" from 1 gives
// A01, A02, ...). Gap is the aisle between neighbouring booths.
type GridInput struct {
	ZoneID  int64   `json:"zone_id"`
	Pattern string  `json:"code_pattern"`
	Start   int     `json:"start"`
	Rows    int     `json:"rows"`
	Cols    int     `json:"cols"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	W       float64 `json:"w"`
	H       float64 `json:"h"`
	GapX    float64 `json:"gap_x"`
	GapY    float64 `json:"gap_y"`
}

// maxGrid bounds one grid: a hall of 2,000 booths is the largest planned.
const maxGrid = 2000

// Validate fills defaults (start 1, 3 m × 3 m booths) and reports every
// problem at once.
func (g *GridInput) Validate() error {
	g.Pattern = strings.ToUpper(strings.TrimSpace(g.Pattern))
	if g.Start == 0 {
		g.Start = 1
	}
	if g.W == 0 && g.H == 0 {
		g.W, g.H = 3, 3
	}
	var d []apperr.Detail
	add := func(field, key string, args map[string]any) {
		d = append(d, apperr.Detail{Field: field, Key: key, Args: args})
	}
	prefix, digits, suffix, ok := splitPattern(g.Pattern)
	switch {
	case !ok:
		add("code_pattern", "booth.pattern_invalid", nil)
	case len(prefix)+digits+len(suffix) > 20:
		add("code_pattern", "booth.code_invalid", nil)
	}
	if g.Rows < 1 || g.Cols < 1 || g.Rows*g.Cols > maxGrid {
		add("rows", "booth.grid_size", map[string]any{"Max": maxGrid})
	} else if ok && len(strconv.Itoa(g.Start+g.Rows*g.Cols-1)) > digits {
		add("code_pattern", "booth.pattern_short", map[string]any{"Last": g.Start + g.Rows*g.Cols - 1})
	}
	if g.Start < 0 {
		add("start", "booth.coord_range", map[string]any{"Min": 0, "Max": 1 << 20})
	}
	for _, c := range []struct {
		field  string
		v, min float64
	}{{"x", g.X, 0}, {"y", g.Y, 0}, {"w", g.W, 0.5}, {"h", g.H, 0.5}, {"gap_x", g.GapX, 0}, {"gap_y", g.GapY, 0}} {
		if bad(c.v, c.min, maxCoord) {
			add(c.field, "booth.coord_range", map[string]any{"Min": c.min, "Max": maxCoord})
		}
	}
	return detailsError(d)
}

// splitPattern finds the one run of # in p.
func splitPattern(p string) (prefix string, digits int, suffix string, ok bool) {
	i := strings.IndexByte(p, '#')
	if i < 0 || strings.ContainsAny(p, " \t/") {
		return "", 0, "", false
	}
	j := i
	for j < len(p) && p[j] == '#' {
		j++
	}
	if strings.IndexByte(p[j:], '#') >= 0 {
		return "", 0, "", false
	}
	return p[:i], j - i, p[j:], true
}

// Booths lays the grid out: row by row, left to right, each booth W × H
// with GapX and GapY between them. It assumes Validate passed.
func (g GridInput) Booths() []BoothInput {
	prefix, digits, suffix, _ := splitPattern(g.Pattern)
	out := make([]BoothInput, 0, g.Rows*g.Cols)
	n := g.Start
	for r := range g.Rows {
		for c := range g.Cols {
			out = append(out, BoothInput{
				ZoneID: g.ZoneID,
				Code:   fmt.Sprintf("%s%0*d%s", prefix, digits, n, suffix),
				AreaM2: g.W * g.H,
				X:      g.X + float64(c)*(g.W+g.GapX),
				Y:      g.Y + float64(r)*(g.H+g.GapY),
				W:      g.W, H: g.H,
			})
			n++
		}
	}
	return out
}

// CreateGrid adds a grid of booths, all or none: a code that exists
// already stops the whole grid with a conflict naming it.
func (s *Store) CreateGrid(ctx context.Context, editionID int64, g GridInput) (int, error) {
	if err := g.Validate(); err != nil {
		return 0, err
	}
	bs := g.Booths()
	for i := range bs {
		if err := bs[i].Validate(); err != nil {
			return 0, err // a grid running past the coordinate bounds
		}
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := zoneInEdition(ctx, tx, g.ZoneID, editionID); err != nil {
			return err
		}
		for _, b := range bs {
			if _, err := s.insertBooth(ctx, tx, editionID, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, apperr.Wrap(err, "create booth grid")
	}
	return len(bs), nil
}
