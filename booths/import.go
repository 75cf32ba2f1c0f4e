package booths

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

// importColumns are the columns of a booth list; keys are the JSON field
// names so that a validation detail names its column directly.
var importColumns = []sheet.Column{
	{Key: "zone_id", Headers: []string{"展区", "zone"}, Required: true},
	{Key: "code", Headers: []string{"展位号", "展位编号", "编号", "code"}, Required: true},
	{Key: "area_m2", Headers: []string{"面积", "面积㎡", "面积m²", "area_m2", "area"}},
	{Key: "x", Headers: []string{"X", "横坐标"}},
	{Key: "y", Headers: []string{"Y", "纵坐标"}},
	{Key: "w", Headers: []string{"宽", "宽度", "w", "width"}},
	{Key: "h", Headers: []string{"深", "进深", "高", "h", "depth"}},
}

// Import adds the booths of an uploaded booth list (.xlsx or CSV: zone by
// name, code, area, position and size), all or none: any bad row, unknown
// zone or code that exists answers 422 with every problem by row and
// column, and nothing is saved.
func (s *Store) Import(ctx context.Context, editionID int64, r io.Reader, name string, lim sheet.Limits) (int, error) {
	zones, err := s.Zones(ctx, editionID)
	if err != nil {
		return 0, err
	}
	byName := map[string]int64{}
	for _, z := range zones {
		byName[z.Name] = z.ID
	}
	taken := map[string]bool{}
	var codes []string
	if err := s.db.R.SelectContext(ctx, &codes, `SELECT code FROM booths WHERE edition_id = ?`, editionID); err != nil {
		return 0, fmt.Errorf("import booths: existing codes: %w", err)
	}
	for _, c := range codes {
		taken[c] = true
	}
	ins, err := readBoothList(r, name, lim, byName, taken)
	if err != nil {
		return 0, err
	}
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, in := range ins {
			if _, err := s.insertBooth(ctx, tx, editionID, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, apperr.Wrap(err, "import booths")
	}
	return len(ins), nil
}

func readBoothList(r io.Reader, name string, lim sheet.Limits, zones map[string]int64, taken map[string]bool) ([]BoothInput, error) {
	return sheet.ReadAll(r, name, importColumns, lim, func(row *sheet.Row) (BoothInput, []apperr.Detail) {
		return parseBoothRow(row, zones, taken)
	})
}

// parseBoothRow reads one row; taken collects the codes seen so far, so a
// code twice in the file is an error on its second row.
func parseBoothRow(row *sheet.Row, zones map[string]int64, taken map[string]bool) (BoothInput, []apperr.Detail) {
	var in BoothInput
	if z := row.Required("zone_id"); z != "" {
		id, ok := zones[z]
		if !ok {
			row.Fail("zone_id", "booth.zone_unknown", nil)
		}
		in.ZoneID = id
	}
	in.Code = row.Required("code")
	in.AreaM2, _ = row.Float("area_m2")
	in.X, _ = row.Float("x")
	in.Y, _ = row.Float("y")
	in.W, _ = row.Float("w")
	in.H, _ = row.Float("h")
	if !row.OK() {
		return in, row.Errors()
	}
	if err := in.Validate(); err != nil {
		ae, _ := apperr.As(err)
		for _, d := range ae.Details {
			row.Fail(d.Field, d.Key, d.Args)
		}
	} else if taken[in.Code] {
		row.Fail("code", "booth.code_taken", map[string]any{"Code": in.Code})
	}
	taken[in.Code] = true
	return in, row.Errors()
}

// importUpload reads the multipart field file and imports it.
func (h *Handlers) importUpload(c *gin.Context) (int, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return 0, err
	}
	f, name, err := sheet.Upload(c.Writer, c.Request, "file", sheet.DefaultMaxBytes)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return h.store.Import(c.Request.Context(), id, f, name, sheet.Limits{})
}

func (h *Handlers) apiImport(c *gin.Context) {
	n, err := h.importUpload(c)
	h.answer(c, http.StatusOK, gin.H{"imported": n}, err)
}

func (h *Handlers) importForm(c *gin.Context) {
	id, _ := web.ParamID(c, "id")
	_, err := h.importUpload(c)
	h.afterForm(c, "import", editionURL(id), "booths.imported", err)
}
