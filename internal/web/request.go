package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
)

// MaxJSONBody caps a JSON request body.
const MaxJSONBody = 1 << 20

var errBodyTooLarge = errors.New("request body too large")

// BindJSON decodes the request body into v. A body that is not JSON, or has
// a value of the wrong type, is a 400 that says where; one over MaxJSONBody
// is a 413; a NUL byte in any text field is a 422 naming it.
func BindJSON(c *gin.Context, v any) error {
	if c.Request.ContentLength > MaxJSONBody {
		return apperr.New(apperr.TooLarge, "error.too_large")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody)
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.New(apperr.Malformed, "error.json_trailing")
	}
	if f := nulIn(reflect.ValueOf(v), ""); f != "" {
		return apperr.Field(f, "error.nul_field", nil)
	}
	return nil
}

func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return apperr.New(apperr.TooLarge, "error.too_large")
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "error.json_empty")
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "error.json_syntax").
			With(map[string]any{"Offset": syn.Offset, "Detail": syn.Error()})
	case errors.As(err, &typ):
		return apperr.New(apperr.Malformed, "error.json_type").
			With(map[string]any{"Field": typ.Field, "Want": typ.Type.String()}).
			WithDetails(apperr.Detail{Field: typ.Field, Key: "error.json_type_field",
				Args: map[string]any{"Want": typ.Type.String()}})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Malformed, "error.json_truncated")
	default:
		return apperr.New(apperr.Malformed, "error.json_syntax").
			With(map[string]any{"Offset": 0, "Detail": err.Error()})
	}
}

// ParamID reads a positive integer path parameter such as :id.
func ParamID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

// Paging is a page request: page from 1, per_page 1..500 (default 50).
type Paging struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// Offset is the number of rows before the page.
func (p Paging) Offset() int { return (p.Page - 1) * p.PerPage }

// MaxPerPage is the largest page a client may ask for.
const MaxPerPage = 500

// ParsePaging reads page and per_page from the query.
func ParsePaging(c *gin.Context) (Paging, error) {
	p := Paging{Page: 1, PerPage: 50}
	for _, f := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &p.Page, 1 << 30}, {"per_page", &p.PerPage, MaxPerPage}} {
		s := strings.TrimSpace(c.Query(f.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > f.max {
			return p, apperr.Field(f.name, "error.paging", map[string]any{"Max": f.max})
		}
		*f.dst = n
	}
	return p, nil
}

// List is the JSON shape of every paginated answer.
type List[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// NewList wraps one page of items; a nil slice is sent as [].
func NewList[T any](items []T, total int, p Paging) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}

// Pages is the number of pages for total rows, for page templates.
func (l List[T]) Pages() int {
	if l.PerPage == 0 {
		return 0
	}
	return (l.Total + l.PerPage - 1) / l.PerPage
}

// FormInt64 reads an optional integer form field; empty is 0.
func FormInt64(c *gin.Context, name string) (int64, error) {
	s := strings.TrimSpace(c.PostForm(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, apperr.Field(name, "error.not_a_number", nil)
	}
	return n, nil
}

// Pick returns the first non-empty string, for form-or-query values.
func Pick(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }
