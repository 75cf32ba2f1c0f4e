package web

import (
	"encoding/json"
	"fmt"
)

// MergeAPIDocs builds the served OpenAPI document from a base document and
// one fragment per package. A fragment is an OpenAPI object with only
// "paths" and "components"/"schemas"; each package keeps its own beside its
// handlers, so the documentation of a route lives next to the route.
func MergeAPIDocs(base []byte, fragments ...[]byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("api doc: base: %w", err)
	}
	paths := ensureMap(doc, "paths")
	schemas := ensureMap(ensureMap(doc, "components"), "schemas")
	for i, f := range fragments {
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(f, &frag); err != nil {
			return nil, fmt.Errorf("api doc: fragment %d: %w", i, err)
		}
		for p, ops := range frag.Paths {
			item := ensureMap(paths, p)
			for method, op := range ops {
				if _, dup := item[method]; dup {
					return nil, fmt.Errorf("api doc: %s %s documented twice", method, p)
				}
				item[method] = op
			}
		}
		for name, s := range frag.Components.Schemas {
			if _, dup := schemas[name]; dup {
				return nil, fmt.Errorf("api doc: schema %s defined twice", name)
			}
			schemas[name] = s
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func ensureMap(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}
