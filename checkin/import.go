package checkin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

// importColumns are the columns of an attendee list; keys are the JSON
// field names so that a validation detail names its column directly.
var importColumns = []sheet.Column{
	{Key: "name", Headers: []string{"姓名", "name"}, Required: true},
	{Key: "organisation", Headers: []string{"单位", "工作单位", "organisation", "organization"}},
	{Key: "phone", Headers: []string{"手机", "手机号", "电话", "phone"}},
	{Key: "category", Headers: []string{"类别", "类型", "category"}, Required: true},
	{Key: "delegation_id", Headers: []string{"代表团", "delegation"}},
}

// categoryWords maps what people type in the category column (the Chinese
// labels, as on the page, or the codes) to a category.
var categoryWords = map[string]string{
	"嘉宾": "guest", "专家": "expert", "企业": "enterprise", "代表团成员": "delegation", "代表团": "delegation",
	"媒体": "media", "工作人员": "staff",
}

func categoryOf(v string) string {
	if c, ok := categoryWords[v]; ok {
		return c
	}
	return strings.ToLower(v)
}

// ImportAttendees adds the attendees of an uploaded list (.xlsx or CSV:
// name, organisation, phone, category, delegation by name), all or none:
// any bad row, unknown delegation or phone number already registered
// answers 422 with every problem by row and column, and nothing is saved.
// Each attendee gets a signed badge code as when added one by one.
func (s *Store) ImportAttendees(ctx context.Context, editionID int64, r io.Reader, name string, lim sheet.Limits) (int, error) {
	e, err := s.editions.Edition(ctx, editionID)
	if err != nil {
		return 0, err
	}
	dels, err := s.editions.Delegations(ctx, editionID)
	if err != nil {
		return 0, err
	}
	byName := map[string]int64{}
	for _, d := range dels {
		byName[d.Name] = d.ID
	}
	var phones []string
	if err := s.db.R.SelectContext(ctx, &phones, `SELECT phone FROM attendees WHERE edition_id = ? AND phone <> '' AND status <> 'cancelled'`, editionID); err != nil {
		return 0, fmt.Errorf("import attendees: existing phones: %w", err)
	}
	taken := map[string]bool{}
	for _, p := range phones {
		taken[p] = true
	}
	ins, err := readAttendeeList(r, name, lim, byName, taken)
	if err != nil {
		return 0, err
	}
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, in := range ins {
			if _, err := s.insertAttendee(ctx, tx, e, in, "organiser", registration{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, apperr.Wrap(err, "import attendees")
	}
	return len(ins), nil
}

func readAttendeeList(r io.Reader, name string, lim sheet.Limits, dels map[string]int64, taken map[string]bool) ([]AttendeeInput, error) {
	return sheet.ReadAll(r, name, importColumns, lim, func(row *sheet.Row) (AttendeeInput, []apperr.Detail) {
		return parseAttendeeRow(row, dels, taken)
	})
}

// parseAttendeeRow reads one row; taken collects the phone numbers seen
// so far, so a number twice in the file is an error on its second row.
func parseAttendeeRow(row *sheet.Row, dels map[string]int64, taken map[string]bool) (AttendeeInput, []apperr.Detail) {
	in := AttendeeInput{Name: row.Required("name"), Organisation: row.Text("organisation"),
		Phone: row.Text("phone"), Category: categoryOf(row.Required("category"))}
	if d := row.Text("delegation_id"); d != "" {
		id, ok := dels[d]
		if !ok {
			row.Fail("delegation_id", "checkin.delegation_unknown", nil)
		}
		in.DelegationID = &id
	}
	// Validate even a row with errors already: one message per cell, and
	// the person sees every problem of the row at once.
	if err := in.Validate(false); err != nil {
		ae, _ := apperr.As(err)
		for _, d := range ae.Details {
			row.Fail(d.Field, d.Key, d.Args)
		}
	} else if in.Phone != "" && taken[in.Phone] {
		row.Fail("phone", "checkin.phone_taken", nil)
	}
	if in.Phone != "" {
		taken[in.Phone] = true
	}
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
	return h.store.ImportAttendees(c.Request.Context(), id, f, name, sheet.Limits{})
}

// ImportResult is the answer of POST /api/v1/editions/{id}/attendees/import.
type ImportResult struct {
	Imported int `json:"imported"`
}

func (h *Handlers) apiImportAttendees(c *gin.Context) {
	n, err := h.importUpload(c)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ImportResult{Imported: n})
}

func (h *Handlers) importAttendeesForm(c *gin.Context) {
	id, _ := web.ParamID(c, "id")
	if _, err := h.importUpload(c); err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showAttendeesImport(c, status, info)
		}
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/attendees", "checkin.imported")
}

// attendeeTemplate is the import template: the columns, the categories
// as a drop-down, and an example row.
func attendeeTemplate() sheet.Template {
	cats := []string{"嘉宾", "专家", "企业", "代表团成员", "媒体", "工作人员"}
	return sheet.Template{
		Sheet: "参会人员", Columns: importColumns, Widths: []float64{14, 28, 16, 14, 20},
		Choices:  [][]string{nil, nil, nil, cats, nil},
		Examples: [][]string{{"王建国", "西南科技大学", "13800000000", "专家", ""}},
		Instructions: []string{"每行一位参会人员；带 * 的列必填。", "类别：" + sheet.ChoiceLabels(cats) + "。",
			"代表团填写本届代表团的名称，可留空。手机号在本届内不能重复。",
			"整表校验：任何一行有错，全部不导入，并列出每个错误的行和列。"},
		InfoSheet: "填写说明",
	}
}

func (h *Handlers) apiImportTemplate(c *gin.Context) {
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", `attachment; filename="attendees-template.xlsx"`)
	if err := attendeeTemplate().Write(c.Writer); err != nil {
		h.site.Log.Error("attendee template", "err", err)
	}
}
