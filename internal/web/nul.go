package web

import (
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
)

// A NUL byte is never part of a name, a title or a search. PostgreSQL
// refuses it in text and SQLite truncates at it in places, so it is refused
// at the door: in a query string with 400 (a search for it is a malformed
// request, not a server fault), in a form or a JSON field with 422 naming
// the field.

// refuseNUL is the middleware for query strings and urlencoded forms; JSON
// bodies are checked by BindJSON, which knows the field names.
func (s *Site) refuseNUL(c *gin.Context) {
	if strings.Contains(c.Request.URL.RawQuery, "%00") {
		if f := nulField(c.Request.URL.Query()); f != "" {
			s.Fail(c, apperr.New(apperr.Malformed, "error.nul").
				WithDetails(apperr.Detail{Field: f, Key: "error.nul_field"}))
			c.Abort()
			return
		}
	}
	if c.ContentType() == "application/x-www-form-urlencoded" {
		if err := c.Request.ParseForm(); err == nil {
			if f := nulField(c.Request.PostForm); f != "" {
				s.Fail(c, apperr.Field(f, "error.nul_field", nil))
				c.Abort()
				return
			}
		}
	}
	c.Next()
}

func nulField(values map[string][]string) string {
	for k, vs := range values {
		if strings.ContainsRune(k, 0) {
			return "?"
		}
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				return k
			}
		}
	}
	return ""
}

// nulIn returns the JSON name of the first string field in v that holds a
// NUL byte, looking through structs, pointers, slices and maps.
func nulIn(v reflect.Value, name string) string {
	switch v.Kind() {
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			return name
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nulIn(v.Elem(), name)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if got := nulIn(v.Field(i), jsonName(f, name)); got != "" {
				return got
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if got := nulIn(v.Index(i), name); got != "" {
				return got
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			key := name
			if it.Key().Kind() == reflect.String {
				if strings.ContainsRune(it.Key().String(), 0) {
					return name
				}
				key = joinField(name, it.Key().String())
			}
			if got := nulIn(it.Value(), key); got != "" {
				return got
			}
		}
	}
	return ""
}

func jsonName(f reflect.StructField, parent string) string {
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch {
	case tag == "-":
		return parent
	case f.Anonymous && tag == "":
		return parent
	case tag == "":
		return joinField(parent, f.Name)
	}
	return joinField(parent, tag)
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}
