package templates

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Renderer executes pages by name ("login", "editions/list", ...): the path
// of the page file under pages/ without ".html".
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses the layout, the partials and every page.
func NewRenderer() (*Renderer, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(FS, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: parse layout: %w", err)
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	err = fs.WalkDir(FS, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		t, err := template.Must(base.Clone()).ParseFS(FS, p)
		if err != nil {
			return fmt.Errorf("templates: parse %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(strings.TrimPrefix(p, "pages/"), ".html")] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Render executes the named page inside the layout.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("templates: no page %q", page)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

// Pages lists the names of all pages, for tests.
func (r *Renderer) Pages() []string {
	var names []string
	for n := range r.pages {
		names = append(names, n)
	}
	return names
}

// china is the conference's time zone; dates and times are stored in UTC
// and shown in Beijing time.
var china = time.FixedZone("CST", 8*3600)

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(china).Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(china).Format("2006-01-02 15:04")
	},
	"add": func(a, b int) int { return a + b },
	"deref": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	},
}
