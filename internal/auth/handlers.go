package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "huizhan_session"

// Handlers serve sign-in, sign-out and the account pages and API.
type Handlers struct {
	site  *web.Site
	store *Store
	guard *signInGuard
	// delegations lists the delegations an account can be bound to; the
	// conference package provides it, so auth need not know its tables.
	delegations func(ctx context.Context) ([]web.Option, error)
}

// NewHandlers wires the handlers. delegations may be nil in tests that do
// not need the account pages.
func NewHandlers(site *web.Site, store *Store, delegations func(context.Context) ([]web.Option, error)) *Handlers {
	return &Handlers{
		site: site, store: store, delegations: delegations,
		guard: newSignInGuard(time.Now),
	}
}

// Identify is middleware that sets the request's identity from a bearer
// token or the session cookie. It never refuses a request: routes decide
// with web.Site.Require.
func (h *Handlers) Identify(c *gin.Context) {
	token := ""
	if a := c.GetHeader("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		token = strings.TrimSpace(a[7:])
	} else if ck, err := c.Cookie(SessionCookie); err == nil {
		token = ck
	}
	if token != "" {
		id, err := h.store.Identify(c.Request.Context(), token)
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		if id != nil {
			web.SetIdentity(c, id)
		}
	}
	c.Next()
}

// Register adds the routes.
func (h *Handlers) Register(r *gin.Engine) {
	r.GET("/login", h.loginPage)
	r.POST("/login", h.loginForm)
	r.POST("/logout", h.logout)

	api := r.Group("/api/v1")
	api.POST("/session", h.apiSignIn)
	api.GET("/session", h.site.SignedIn(), h.apiWhoAmI)
	api.DELETE("/session", h.site.SignedIn(), h.apiSignOut)

	org := h.site.Require(web.RoleOrganiser)
	api.GET("/users", org, h.apiListUsers)
	api.POST("/users", org, h.apiCreateUser)
	api.GET("/users/:id", org, h.apiGetUser)
	api.PATCH("/users/:id", org, h.apiUpdateUser)
	api.POST("/users/:id/password", org, h.apiSetPassword)
	api.POST("/users/:id/unlock", org, h.apiUnlock)

	r.GET("/admin/users", org, h.usersPage)
	r.POST("/admin/users", org, h.createUserForm)
	r.GET("/admin/users/:id", org, h.userPage)
	r.POST("/admin/users/:id", org, h.updateUserForm)
	r.POST("/admin/users/:id/password", org, h.passwordForm)
	r.POST("/admin/users/:id/unlock", org, h.unlockForm)
}

// signIn checks the credentials under the rate limit and starts a session.
func (h *Handlers) signIn(c *gin.Context, username, password, kind string) (User, string, error) {
	ip, userKey := c.ClientIP(), strings.ToLower(strings.TrimSpace(username))
	if !h.guard.allowed(ip, userKey) {
		return User{}, "", apperr.New(apperr.RateLimited, "auth.too_many_attempts").
			With(map[string]any{"Minutes": guardMinutes}).After(guardMinutes * time.Minute)
	}
	u, err := h.store.Authenticate(c.Request.Context(), username, password)
	if err != nil {
		if apperr.KindOf(err) == apperr.Unauthenticated {
			h.guard.failed(ip, userKey)
		}
		return User{}, "", err
	}
	h.guard.succeeded(ip, userKey)
	token, err := h.store.NewSession(c.Request.Context(), u, kind, ip, c.Request.UserAgent())
	return u, token, err
}

type loginData struct {
	Username string
	Next     string
	Error    *web.ErrorInfo
}

func (h *Handlers) loginPage(c *gin.Context) {
	h.site.HTML(c, http.StatusOK, "login", "login.title", loginData{Next: web.SafeNext(c.Query("next"), "/")})
}

func (h *Handlers) loginForm(c *gin.Context) {
	username, next := c.PostForm("username"), web.SafeNext(c.PostForm("next"), "/")
	_, token, err := h.signIn(c, username, c.PostForm("password"), KindCookie)
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.site.HTML(c, status, "login", "login.title", loginData{Username: username, Next: next, Error: info})
		}
		return
	}
	// A sign-in always gets a fresh token; end the one the browser had.
	if old := web.IdentityOf(c); old != nil {
		_ = h.store.EndSession(c.Request.Context(), old.SessionID)
	}
	h.setCookie(c, token, int(h.store.opt.MaxAge.Seconds()))
	h.site.Redirect(c, next, "")
}

func (h *Handlers) setCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.site.Secure, SameSite: http.SameSiteLaxMode})
}

func (h *Handlers) logout(c *gin.Context) {
	if id := web.IdentityOf(c); id != nil {
		if err := h.store.EndSession(c.Request.Context(), id.SessionID); err != nil {
			h.site.Fail(c, err)
			return
		}
	}
	h.setCookie(c, "", -1)
	h.site.Redirect(c, "/login", "auth.signed_out")
}

// SessionAnswer is the answer of POST /api/v1/session.
type SessionAnswer struct {
	Token string `json:"token"`
	User  User   `json:"user"`
}

func (h *Handlers) apiSignIn(c *gin.Context) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	u, token, err := h.signIn(c, in.Username, in.Password, KindBearer)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, SessionAnswer{Token: token, User: u})
}

func (h *Handlers) apiWhoAmI(c *gin.Context) {
	u, err := h.store.User(c.Request.Context(), web.IdentityOf(c).UserID)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"user": u})
}

func (h *Handlers) apiSignOut(c *gin.Context) {
	if err := h.store.EndSession(c.Request.Context(), web.IdentityOf(c).SessionID); err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"signed_out": true})
}
