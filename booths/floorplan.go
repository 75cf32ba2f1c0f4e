package booths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// Hall is one hall's floor plan: its booths and the extent they cover.
type Hall struct {
	Name          string
	Width, Height float64 // metres, with a margin around the booths
	Booths        []Booth
	Free          int
	Reserved      int
	Assigned      int
}

// EditionRef names an edition on pages of this package.
type EditionRef struct {
	ID     int64  `db:"id"`
	Number int    `db:"number"`
	Name   string `db:"name"`
}

// Edition returns the edition's name for page headings.
func (s *Store) Edition(ctx context.Context, id int64) (EditionRef, error) {
	var e EditionRef
	err := s.db.R.GetContext(ctx, &e, `SELECT id, number, name FROM editions WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return EditionRef{}, errEditionNotFound
	}
	if err != nil {
		return EditionRef{}, fmt.Errorf("get edition %d: %w", id, err)
	}
	return e, nil
}

// LatestEdition returns the edition with the highest number, if any.
func (s *Store) LatestEdition(ctx context.Context) (EditionRef, bool, error) {
	var es []EditionRef
	err := s.db.R.SelectContext(ctx, &es, `SELECT id, number, name FROM editions ORDER BY number DESC LIMIT 1`)
	if err != nil || len(es) == 0 {
		return EditionRef{}, false, err
	}
	return es[0], true, nil
}

// floorMargin is the space left around the booths on a plan, in metres.
const floorMargin = 2

// FloorPlan returns the physical halls of an edition (the cloud hall has
// no floor) with every booth, or only the hall named when hall is not "".
func (s *Store) FloorPlan(ctx context.Context, editionID int64, hall string) ([]Hall, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return nil, err
	}
	where, args := Filter{Hall: hall}.where(editionID)
	var bs []Booth
	err := s.db.R.SelectContext(ctx, &bs, boothSelect+where+` AND NOT z.online`+boothOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("floor plan of edition %d: %w", editionID, err)
	}
	var halls []Hall
	for _, b := range bs {
		if len(halls) == 0 || halls[len(halls)-1].Name != b.Hall {
			halls = append(halls, Hall{Name: b.Hall})
		}
		h := &halls[len(halls)-1]
		h.Booths = append(h.Booths, b)
		h.Width, h.Height = max(h.Width, b.X+b.W+floorMargin), max(h.Height, b.Y+b.H+floorMargin)
		switch b.State {
		case StateFree:
			h.Free++
		case StateReserved:
			h.Reserved++
		default:
			h.Assigned++
		}
	}
	return halls, nil
}

// SVG draws the hall's booths as the inside of an <svg> element: one group
// per booth, coloured by state through its class, with the code and the
// exhibitor's name. It is built here rather than in the page template
// because a hall of 2,000 booths through html/template's reflection costs
// most of the 100 ms the page may take; every text is escaped.
func (h Hall) SVG() template.HTML {
	var sb strings.Builder
	sb.Grow(len(h.Booths) * 200)
	for _, b := range h.Booths {
		x, y := num(b.X), num(b.Y)
		sb.WriteString(`<g class="booth state-`)
		sb.WriteString(html.EscapeString(b.State))
		sb.WriteString(`" data-id="`)
		sb.WriteString(strconv.FormatInt(b.ID, 10))
		sb.WriteString(`" tabindex="0"><rect x="` + x + `" y="` + y + `" width="` + num(b.W) + `" height="` + num(b.H) + `"/>`)
		sb.WriteString(`<text class="code" x="` + x + `" y="` + y + `" dx="0.2" dy="0.7">`)
		sb.WriteString(html.EscapeString(b.Code))
		sb.WriteString(`</text>`)
		if b.Exhibitor != "" {
			sb.WriteString(`<text class="name" x="` + x + `" y="` + y + `" dx="0.2" dy="1.6">`)
			sb.WriteString(html.EscapeString(b.Exhibitor))
			sb.WriteString(`</text>`)
		}
		sb.WriteString("</g>\n")
	}
	return template.HTML(sb.String())
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
