package conference

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// Keywords is a project's keyword list, stored as a JSON array in one
// column: it is read and written whole, never queried by element (search
// goes through the full-text index).
type Keywords []string

// Value stores the list as JSON; nil is stored as [].
func (k Keywords) Value() (driver.Value, error) {
	if k == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(k))
	return string(b), err
}

// Scan reads the JSON array back.
func (k *Keywords) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*k = Keywords{}
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("keywords: cannot scan %T", src)
	}
	var s []string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("keywords: %w", err)
	}
	*k = s
	return nil
}
