package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"huizhan/internal/i18n"
)

// Renderer executes a named page template; templates.Renderer is the one
// used in production.
type Renderer interface {
	Render(w io.Writer, page string, data any) error
}

// NavItem is one entry of the top navigation, shown to the roles named (to
// everyone, guests included, when Roles is empty).
type NavItem struct {
	Key   string // catalogue key of the label
	Href  string
	Roles []string
}

// Site is what every handler needs to answer: the catalogue, the page
// renderer, the logger and a few settings. Built once in cmd/huizhan.
type Site struct {
	Catalog  *i18n.Catalog
	Renderer Renderer
	Log      *slog.Logger
	Secure   bool   // served over TLS: cookies get the Secure flag
	BaseURL  string // public address, for links that leave the browser (QR codes)
	Nav      []NavItem

	importsOnce sync.Once
	imports     *importGate // see ImportSlot
}

// L returns the localizer for the request's language.
func (s *Site) L(c *gin.Context) *i18n.Localizer { return s.Catalog.For(LangOf(c)) }

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// Page is the data every page template receives.
type Page struct {
	Title   string // catalogue key
	Lang    string
	User    *Identity
	Path    string // current path with query, for the language switch's return
	Nav     []NavItem
	Flash   string // a message already translated
	Data    any
	Request *http.Request
	l       *i18n.Localizer
}

// T translates key; args come in name, value pairs:
// {{.T "project.count" "Count" 3}}.
func (p *Page) T(key string, args ...any) string {
	var m map[string]any
	if len(args) > 1 {
		m = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				m[k] = args[i+1]
			}
		}
	}
	return p.l.T(key, m)
}

// Label translates "prefix.value" keys such as role names.
func (p *Page) Label(prefix, value string) string { return p.l.Label(prefix, value) }

// Can reports whether the signed-in account has one of roles.
func (p *Page) Can(roles ...string) bool { return p.User.Is(roles...) }

// English reports whether the page is shown in English.
func (p *Page) English() bool { return p.l.IsEnglish() }

// NewPage builds the page data for c.
func (s *Site) NewPage(c *gin.Context, title string, data any) *Page {
	id := IdentityOf(c)
	var nav []NavItem
	for _, n := range s.Nav {
		if len(n.Roles) == 0 || id.Is(n.Roles...) {
			nav = append(nav, n)
		}
	}
	return &Page{
		Title: title, Lang: LangOf(c), User: id, Path: returnPath(c),
		Nav: nav, Data: data, Request: c.Request, l: s.L(c),
		Flash: s.takeFlash(c),
	}
}

// returnPath is where the language switch comes back to: the page itself
// for a GET, and for a form answered with errors the page the form was on
// (its Referer, when it is on this site), since a POST cannot be repeated
// by a link.
func returnPath(c *gin.Context) string {
	if c.Request.Method == http.MethodGet {
		return c.Request.URL.RequestURI()
	}
	ref, err := url.Parse(c.Request.Referer())
	if err != nil || ref.Host != c.Request.Host {
		return "/"
	}
	return SafeNext(ref.RequestURI(), "/")
}

// HTML renders page with data. The page is rendered into a buffer first so a
// template error becomes a clean 500 rather than half a page.
func (s *Site) HTML(c *gin.Context, status int, page, title string, data any) {
	s.render(c, status, page, s.NewPage(c, title, data))
}

func (s *Site) render(c *gin.Context, status int, page string, p *Page) {
	var buf bytes.Buffer
	if err := s.Renderer.Render(&buf, page, p); err != nil {
		s.Log.Error("render page", "page", page, "err", err, "request_id", RequestID(c))
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8",
			[]byte(s.L(c).T("error.internal", map[string]any{"RequestID": RequestID(c)})))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// Redirect answers a form post with 303 See Other, optionally carrying a
// one-time message (a catalogue key) to the next page.
func (s *Site) Redirect(c *gin.Context, to, flashKey string) {
	if flashKey != "" {
		http.SetCookie(c.Writer, &http.Cookie{Name: "flash", Value: url.QueryEscape(flashKey),
			Path: "/", HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	}
	c.Redirect(http.StatusSeeOther, to)
}

func (s *Site) takeFlash(c *gin.Context) string {
	ck, err := c.Request.Cookie("flash")
	if err != nil || ck.Value == "" {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	key, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return ""
	}
	return s.L(c).T(key, nil)
}

// SafeNext returns next when it names a page of this site, else fallback,
// so a ?next= parameter cannot send someone to another site. It parses
// rather than pattern-matches: browsers drop tabs and newlines from a URL
// and read a backslash as a slash, so "/\t/evil.com" and "/\\evil.com"
// are other sites to them. Anything with a control character or a
// backslash, a scheme, a host, or a path not starting with a single slash
// is refused; what passes is rebuilt from its parsed path and query.
func SafeNext(next, fallback string) string {
	if next == "" || strings.ContainsRune(next, '\\') || strings.IndexFunc(next, isControl) >= 0 {
		return fallback
	}
	// u.Path is decoded, so "/%2F%2Fevil.com" is "///evil.com" here and
	// refused like "//evil.com", which a proxy might make of it.
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.ContainsRune(u.Path, '\\') || strings.IndexFunc(u.Path, isControl) >= 0 {
		return fallback
	}
	out := &url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery, Fragment: u.Fragment}
	s := out.String()
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return fallback
	}
	return s
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
