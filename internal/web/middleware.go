package web

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	requestIDKey = "huizhan.request_id"
	langKey      = "huizhan.lang"
	// LangCookie holds the language chosen with the switch.
	LangCookie = "lang"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// RequestID returns the request's ID, as logged and sent in X-Request-ID.
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// LangOf returns the request's language code ("zh-CN" or "en").
func LangOf(c *gin.Context) string {
	if l := c.GetString(langKey); l != "" {
		return l
	}
	return "zh-CN"
}

// Middleware is the chain every request passes: request ID, panic recovery,
// logging, security headers, language and the NUL-byte check, in that order.
func (s *Site) Middleware() []gin.HandlerFunc {
	return []gin.HandlerFunc{s.requestID, s.recover, s.logRequests, securityHeaders, s.language, s.refuseNUL}
}

func (s *Site) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func (s *Site) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.Log.Error("panic", "panic", r, "path", LogPath(c), "request_id", RequestID(c))
			if !c.Writer.Written() {
				c.AbortWithStatus(http.StatusInternalServerError)
			}
		}
	}()
	c.Next()
}

func (s *Site) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	attrs := []any{
		"method", c.Request.Method, "path", LogPath(c),
		"status", c.Writer.Status(), "duration", time.Since(start),
		"ip", c.ClientIP(), "request_id", RequestID(c),
	}
	if id := IdentityOf(c); id != nil {
		attrs = append(attrs, "user", id.Username)
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	s.Log.Log(c.Request.Context(), level, "request", attrs...)
}

// secretParams are route parameters that let their holder in: a badge
// code (/b/:code) admits its attendee, a judge's token (/judge/:token)
// scores. The log keeps their first four characters, enough to tell
// requests apart and too few to use.
var secretParams = map[string]bool{"code": true, "token": true}

// LogPath is the request's path for the log, its secret parts redacted.
func LogPath(c *gin.Context) string {
	p := c.Request.URL.Path
	for _, prm := range c.Params {
		if secretParams[prm.Key] && len(prm.Value) > 4 {
			p = strings.Replace(p, "/"+prm.Value, "/"+prm.Value[:4]+"…", 1)
		}
	}
	if c.FullPath() == "" {
		// No route matched (/b/<code>/typo): redact by shape.
		p = secretPath.ReplaceAllString(p, "$1$2…")
	}
	return p
}

var secretPath = regexp.MustCompile(`^(/b/|/judge/|/api/v1/judging/)([^/]{1,4})[^/]*`)

// contentSecurityPolicy allows no inline script and nothing from other
// origins: every asset is embedded in the binary.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; connect-src 'self'; media-src 'self' blob:; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	c.Next()
}

func (s *Site) language(c *gin.Context) {
	cookie, _ := c.Cookie(LangCookie)
	c.Set(langKey, s.Catalog.Match(cookie, c.GetHeader("Accept-Language")))
	c.Next()
}

// SwitchLanguage is GET /lang/:lang: it remembers the choice in a cookie
// and returns to the page the switch was on.
func (s *Site) SwitchLanguage(c *gin.Context) {
	lang := c.Param("lang")
	if lang != "zh-CN" && lang != "en" {
		s.NotFound(c)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: LangCookie, Value: lang, Path: "/",
		MaxAge: 365 * 24 * 3600, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, SafeNext(c.Query("next"), "/"))
}

// CrossOrigin wraps h with Go's cross-origin protection: a state-changing
// request that a browser marks as cross-site (Sec-Fetch-Site, or an Origin
// that is not this host) is refused with 403 in our error shape. Requests
// from scripts, which send neither header, pass: they authenticate with a
// bearer token, which a forged form cannot carry.
func (s *Site) CrossOrigin(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := s.Catalog.For(s.Catalog.Match(cookieValue(r, LangCookie), r.Header.Get("Accept-Language")))
		msg := l.T("error.cross_origin", nil)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_ = jsonEncode(w, ErrorBody{Error: ErrorInfo{Code: "forbidden", Message: msg}})
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(msg))
	}))
	return cop.Handler(h)
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}
