package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// APIReference is the served OpenAPI document laid out for people: the
// operations grouped by tag, each with its parameters, body fields and
// answers, $refs resolved. The /docs/api page renders it, so the page can
// never disagree with the document clients read.
type APIReference struct {
	Title       string
	Description string
	Tags        []APITag
}

// APITag is one group of operations.
type APITag struct {
	Name string
	Ops  []APIOp
}

// APIOp is one method on one path.
type APIOp struct {
	Method, Path, Summary, Description string
	Public                             bool // no sign-in needed
	Params                             []APIField
	Body                               []APIField
	BodyNote                           string // e.g. "multipart: file"
	Responses                          []APIResponse
}

// APIField is a parameter or a body field.
type APIField struct {
	Name, In, Type, Description string
	Required                    bool
}

// APIResponse is one status an operation answers. Error says it is the
// shared error shape, which the page explains once rather than each time.
type APIResponse struct {
	Status, Description, Schema string
	Error                       bool
}

// Anchor is the fragment that links to the operation.
func (o APIOp) Anchor() string {
	r := strings.NewReplacer("/", "-", "{", "", "}", "", ".", "-")
	return strings.ToLower(o.Method) + r.Replace(o.Path)
}

type apiDoc struct {
	Info struct {
		Title, Description string
	}
	Paths      map[string]map[string]json.RawMessage
	Components struct {
		Parameters map[string]apiParam
		Schemas    map[string]apiSchema
		Responses  map[string]struct{ Description string }
	}
}

type apiParam struct {
	Ref         string `json:"$ref"`
	Name, In    string
	Required    bool
	Description string
	Schema      apiSchema
}

type apiSchema struct {
	Ref         string `json:"$ref"`
	Type        any
	Format      string
	Description string
	Enum        []any
	Items       *apiSchema
	Properties  map[string]apiSchema
	Required    []string
	AllOf       []apiSchema `json:"allOf"`
	OneOf       []apiSchema `json:"oneOf"`
}

type apiOperation struct {
	Summary, Description string
	Tags                 []string
	Security             *[]map[string]any
	Parameters           []apiParam
	RequestBody          *struct {
		Content map[string]struct{ Schema apiSchema }
	} `json:"requestBody"`
	Responses map[string]struct {
		Ref         string `json:"$ref"`
		Description string
		Content     map[string]struct{ Schema apiSchema }
	}
}

var methodOrder = []string{"get", "post", "put", "patch", "delete"}

// NewAPIReference reads a served OpenAPI document.
func NewAPIReference(doc []byte) (APIReference, error) {
	var d apiDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return APIReference{}, fmt.Errorf("api reference: %w", err)
	}
	ref := APIReference{Title: d.Info.Title, Description: d.Info.Description}
	byTag := map[string][]APIOp{}
	for path, item := range d.Paths {
		var shared []apiParam
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return APIReference{}, fmt.Errorf("api reference: %s parameters: %w", path, err)
			}
		}
		for method, raw := range item {
			if !slices.Contains(methodOrder, method) {
				continue
			}
			var op apiOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				return APIReference{}, fmt.Errorf("api reference: %s %s: %w", method, path, err)
			}
			tag := "other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			byTag[tag] = append(byTag[tag], d.operation(method, path, shared, op))
		}
	}
	for name, ops := range byTag {
		sort.Slice(ops, func(i, j int) bool {
			if ops[i].Path != ops[j].Path {
				return ops[i].Path < ops[j].Path
			}
			return slices.Index(methodOrder, strings.ToLower(ops[i].Method)) < slices.Index(methodOrder, strings.ToLower(ops[j].Method))
		})
		ref.Tags = append(ref.Tags, APITag{Name: name, Ops: ops})
	}
	sort.Slice(ref.Tags, func(i, j int) bool { return ref.Tags[i].Name < ref.Tags[j].Name })
	return ref, nil
}

func (d *apiDoc) operation(method, path string, shared []apiParam, op apiOperation) APIOp {
	o := APIOp{Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Description: op.Description,
		Public: op.Security == nil || len(*op.Security) == 0}
	for _, p := range append(append([]apiParam(nil), shared...), op.Parameters...) {
		p = d.param(p)
		o.Params = append(o.Params, APIField{Name: p.Name, In: p.In, Required: p.Required,
			Type: d.typeName(p.Schema), Description: p.Description})
	}
	if op.RequestBody != nil {
		for ct, c := range op.RequestBody.Content {
			if ct != "application/json" {
				o.BodyNote = ct
			}
			o.Body = append(o.Body, d.fields(c.Schema)...)
			break
		}
	}
	codes := make([]string, 0, len(op.Responses))
	for code := range op.Responses {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := op.Responses[code]
		if r.Ref == "#/components/responses/Error" {
			o.Responses = append(o.Responses, APIResponse{Status: code, Error: true})
			continue
		}
		desc := r.Description
		if r.Ref != "" {
			desc = d.Components.Responses[refName(r.Ref)].Description
		}
		schema := ""
		for _, c := range r.Content {
			schema = d.typeName(c.Schema)
			break
		}
		o.Responses = append(o.Responses, APIResponse{Status: code, Description: desc, Schema: schema})
	}
	return o
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func (d *apiDoc) param(p apiParam) apiParam {
	if p.Ref != "" {
		return d.Components.Parameters[refName(p.Ref)]
	}
	return p
}

func (d *apiDoc) schema(s apiSchema) apiSchema {
	for i := 0; s.Ref != "" && i < 8; i++ {
		s = d.Components.Schemas[refName(s.Ref)]
	}
	return s
}

// fields lists an object schema's properties, merging allOf.
func (d *apiDoc) fields(s apiSchema) []APIField {
	s = d.schema(s)
	var out []APIField
	for _, part := range s.AllOf {
		out = append(out, d.fields(part)...)
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := s.Properties[n]
		out = append(out, APIField{Name: n, Type: d.typeName(p), Required: slices.Contains(s.Required, n),
			Description: d.schema(p).Description})
	}
	return out
}

// typeName says what a schema is in a few words: "integer",
// "array of Project", "string (date)", "one of: a, b".
func (d *apiDoc) typeName(s apiSchema) string {
	if s.Ref != "" {
		return refName(s.Ref)
	}
	switch {
	case len(s.AllOf) > 0:
		var parts []string
		for _, p := range s.AllOf {
			parts = append(parts, d.typeName(p))
		}
		return strings.Join(parts, " + ")
	case len(s.OneOf) > 0:
		var parts []string
		for _, p := range s.OneOf {
			parts = append(parts, d.typeName(p))
		}
		return strings.Join(parts, " | ")
	case s.Items != nil:
		return "array of " + d.typeName(*s.Items)
	}
	t := fmt.Sprint(s.Type)
	switch v := s.Type.(type) {
	case nil:
		t = "object"
		if len(s.Properties) == 0 {
			t = "any"
		}
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, fmt.Sprint(x))
		}
		t = strings.Join(parts, " or ")
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, e := range s.Enum {
			vals = append(vals, fmt.Sprint(e))
		}
		t += ": " + strings.Join(vals, ", ")
	}
	return t
}
