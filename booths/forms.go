package booths

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// formFloats reads optional decimal form fields (empty is 0), reporting
// every field that is not a number.
func formFloats(c *gin.Context, dst map[string]*float64) error {
	var d []apperr.Detail
	for _, name := range sortedKeys(dst) {
		s := strings.TrimSpace(c.PostForm(name))
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			d = append(d, apperr.Detail{Field: name, Key: "error.not_a_number"})
			continue
		}
		*dst[name] = v
	}
	return detailsError(d)
}

// formInts reads optional whole-number form fields (empty is 0).
func formInts(c *gin.Context, dst map[string]*int) error {
	var d []apperr.Detail
	for _, name := range sortedKeys(dst) {
		s := strings.TrimSpace(c.PostForm(name))
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			d = append(d, apperr.Detail{Field: name, Key: "error.not_a_number"})
			continue
		}
		*dst[name] = v
	}
	return detailsError(d)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formDates reads the zone's optional opening days.
func formDates(c *gin.Context) (opens, closes civil.Date, err error) {
	var d []apperr.Detail
	read := func(name string) civil.Date {
		s := strings.TrimSpace(c.PostForm(name))
		if s == "" {
			return civil.Date{}
		}
		v, err := civil.Parse(s)
		if err != nil {
			d = append(d, apperr.Detail{Field: name, Key: "error.date_format"})
		}
		return v
	}
	opens, closes = read("opens_on"), read("closes_on")
	return opens, closes, detailsError(d)
}

// DelegationOptions lists an edition's delegations for select boxes.
func (s *Store) DelegationOptions(ctx context.Context, editionID int64) ([]web.Option, error) {
	var os []web.Option
	err := s.db.R.SelectContext(ctx, &os, `SELECT id, name AS label FROM delegations
		WHERE edition_id = ? ORDER BY name`, editionID)
	if err != nil {
		return nil, fmt.Errorf("delegations of edition %d: %w", editionID, err)
	}
	return os, nil
}
