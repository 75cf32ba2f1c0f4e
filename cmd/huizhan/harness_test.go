package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// testPassword is the password of every account testEnv makes.
const testPassword = "test-password-1"

// testEnv is the real application over a fresh migrated database with the
// demo editions and one account per role, served by httptest.
type testEnv struct {
	t      *testing.T
	dsn    string // the database, for another instance (instance)
	app    *app
	engine *gin.Engine
	srv    *httptest.Server
	demo   conference.Demo
	tokens map[string]string // role -> bearer token
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dsn := dbtest.DSN(t)
	d := openTestDB(t, dsn)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newApp(d, log, appConfig{Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	h, engine, err := a.router(nil)
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, dsn: dsn, app: a, engine: engine, srv: httptest.NewServer(h), tokens: map[string]string{}}
	t.Cleanup(env.srv.Close)
	ctx := context.Background()
	if env.demo, err = a.conference.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	mianyang, _ := env.demo.DelegationNamed(env.demo.Current().ID, conference.Mianyang)
	for _, role := range web.Roles {
		u := auth.NewUser{Username: role, Password: testPassword, Role: role}
		if role == web.RoleDelegation {
			u.DelegationID = &mianyang.ID
		}
		if _, err := a.auth.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		var s auth.SessionAnswer
		env.do("POST", "/api/v1/session", "", map[string]string{"username": role, "password": testPassword}, 200, &s)
		env.tokens[role] = s.Token
	}
	return env
}

// do sends a JSON request as role ("" for a guest), checks the status and
// decodes the answer into out (when not nil). It returns the raw body.
func (e *testEnv) do(method, path, role string, body any, wantStatus int, out any) []byte {
	e.t.Helper()
	return e.client().Do(method, path, e.tokens[role], body, wantStatus, out)
}

// client is the webtest request helper pointed at this server.
func (e *testEnv) client() *webtest.Env { return &webtest.Env{T: e.t, Server: e.srv} }

// apiError decodes an API error body.
func apiError(t *testing.T, raw []byte) web.ErrorInfo { return webtest.ErrorOf(t, raw) }
