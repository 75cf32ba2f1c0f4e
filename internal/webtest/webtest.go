// Package webtest runs handlers the way production does, for tests: a real
// migrated SQLite database, the real catalogue and templates, the real
// middleware and sign-in, served by httptest.
//
//	env := webtest.New(t, conference.Migrations(), auth.Migrations(), booths.Migrations())
//	booths.NewHandlers(env.Site, store).Register(env.Engine)
//	token := env.Token(web.RoleOrganiser, 0)
//	env.Do("POST", "/api/v1/...", token, body, 201, &out)
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"huizhan/internal/audit"
	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/i18n"
	"huizhan/internal/web"
	"huizhan/templates"
)

// Password is the password of every account Token makes.
const Password = "webtest-password"

// Env is a running test server.
type Env struct {
	T      testing.TB
	DB     *db.DB
	Site   *web.Site
	Auth   *auth.Store
	Engine *gin.Engine
	Server *httptest.Server
	users  int
}

// New opens a database with the given migration sets (which must include
// conference.Migrations() and auth.Migrations(), in that order) and starts
// a server with the middleware and sign-in routes. Register the routes
// under test on Engine before the first request.
func New(t testing.TB, sets ...db.Migrations) *Env {
	t.Helper()
	d := dbtest.Open(t, sets...)
	site, err := NewSite(t)
	if err != nil {
		t.Fatal(err)
	}
	store := auth.NewStore(d, auth.Options{BcryptCost: bcrypt.MinCost})
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(nil); err != nil {
		t.Fatal(err)
	}
	authh := auth.NewHandlers(site, store, nil)
	r.Use(site.Middleware()...)
	r.Use(authh.Identify)
	r.Use(audit.RequestActor)
	r.NoRoute(site.NotFound)
	authh.Register(r)
	srv := httptest.NewServer(site.CrossOrigin(r))
	t.Cleanup(srv.Close)
	return &Env{T: t, DB: d, Site: site, Auth: store, Engine: r, Server: srv}
}

// NewSite returns a site with the real catalogue and templates and a
// logger that writes to the test log only when the test fails.
func NewSite(t testing.TB) (*web.Site, error) {
	catalog, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		return nil, err
	}
	renderer, err := templates.NewRenderer()
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	return &web.Site{Catalog: catalog, Renderer: renderer, Log: log, BaseURL: "http://huizhan.test"}, nil
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Token creates an account with role (bound to delegationID for the
// delegation role) and returns a bearer token for it.
func (e *Env) Token(role string, delegationID int64) string {
	e.T.Helper()
	e.users++
	u := auth.NewUser{Username: fmt.Sprintf("%s-%d", role, e.users), Password: Password, Role: role}
	if delegationID != 0 {
		u.DelegationID = &delegationID
	}
	ctx := context.Background()
	created, err := e.Auth.CreateUser(ctx, u)
	if err != nil {
		e.T.Fatalf("webtest: create %s account: %v", role, err)
	}
	token, err := e.Auth.NewSession(ctx, created, auth.KindBearer, "127.0.0.1", "webtest")
	if err != nil {
		e.T.Fatal(err)
	}
	return token
}

// Do sends a request with a JSON body (any value, or a string sent as is)
// and the bearer token ("" for a guest), checks the status, decodes the
// answer into out when out is not nil, and returns the raw body.
func (e *Env) Do(method, path, token string, body any, wantStatus int, out any) []byte {
	e.T.Helper()
	res, raw := e.send(method, path, token, body)
	if res.StatusCode != wantStatus {
		e.T.Fatalf("%s %s: status %d, want %d; body: %s", method, path, res.StatusCode, wantStatus, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.T.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return raw
}

// Status sends a request like Do and returns only its status, without
// following redirects.
func (e *Env) Status(method, path, token string, body any) int {
	e.T.Helper()
	res, _ := e.send(method, path, token, body)
	return res.StatusCode
}

func (e *Env) send(method, path, token string, body any) (*http.Response, []byte) {
	e.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.Server.URL+path, r)
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return e.Request(req, token)
}

// Request sends req to the test server with the bearer token, without
// following redirects, for requests Do cannot express (multipart uploads,
// form posts, extra headers). It returns the response and its body.
func (e *Env) Request(req *http.Request, token string) (*http.Response, []byte) {
	e.T.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// ErrorOf decodes an API error body.
func ErrorOf(t testing.TB, raw []byte) web.ErrorInfo {
	t.Helper()
	var b web.ErrorBody
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatalf("not an error body: %s", raw)
	}
	return b.Error
}
