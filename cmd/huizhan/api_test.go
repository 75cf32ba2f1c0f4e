package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/audit"
	"huizhan/internal/auth"
	"huizhan/internal/web"
)

// TestRoleMatrix sends every role, and a guest, to each route group and
// checks who gets through (not 401/403), who is refused with 403, and that
// guests get 401 (API) or are sent to sign in (pages).
func TestRoleMatrix(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	del := env.demo.Delegations[ed][0].ID
	everyone := append([]string{""}, web.Roles...)
	organiserOnly := []string{web.RoleOrganiser}
	signedIn := web.Roles

	cases := []struct {
		method, path string
		body         string
		allowed      []string // "" is the guest
	}{
		{"GET", "/api/v1/editions", "", everyone},
		{"GET", fmt.Sprintf("/api/v1/editions/%d", ed), "", everyone},
		{"GET", fmt.Sprintf("/api/v1/editions/%d/delegations", ed), "", everyone},
		{"GET", fmt.Sprintf("/api/v1/delegations/%d", del), "", everyone},
		{"POST", "/api/v1/editions", "{}", organiserOnly},
		{"PATCH", fmt.Sprintf("/api/v1/editions/%d", ed), `{"number":0}`, organiserOnly},
		{"POST", fmt.Sprintf("/api/v1/editions/%d/copy", ed), "{}", organiserOnly},
		{"POST", fmt.Sprintf("/api/v1/editions/%d/delegations", ed), "{}", organiserOnly},
		{"PATCH", fmt.Sprintf("/api/v1/delegations/%d", del), `{"name":""}`, organiserOnly},
		{"GET", "/api/v1/users", "", organiserOnly},
		{"POST", "/api/v1/users", "{}", organiserOnly},
		{"GET", "/api/v1/session", "", signedIn},
		{"GET", "/editions", "", everyone},
		{"GET", "/editions/new", "", organiserOnly},
		{"GET", fmt.Sprintf("/editions/%d/edit", ed), "", organiserOnly},
		{"GET", "/admin/users", "", organiserOnly},
	}
	for _, tc := range cases {
		for _, role := range everyone {
			name := role
			if name == "" {
				name = "guest"
			}
			t.Run(tc.method+" "+tc.path+" as "+name, func(t *testing.T) {
				status := env.status(tc.method, tc.path, role, tc.body)
				isAPI := strings.HasPrefix(tc.path, "/api/")
				switch {
				case slices.Contains(tc.allowed, role):
					if status == 401 || status == 403 || status == 303 {
						t.Errorf("status %d, want access", status)
					}
				case role == "" && isAPI:
					if status != http.StatusUnauthorized {
						t.Errorf("status %d, want 401", status)
					}
				case role == "":
					if status != http.StatusSeeOther {
						t.Errorf("status %d, want 303 to /login", status)
					}
				default:
					if status != http.StatusForbidden {
						t.Errorf("status %d, want 403", status)
					}
				}
			})
		}
	}
}

// status sends a request as role (bearer for the API, the same token as a
// cookie for pages) without following redirects.
func (e *testEnv) status(method, path, role, body string) int {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+e.tokens[role])
		} else {
			req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: e.tokens[role]})
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestEditionsAPI(t *testing.T) {
	env := newTestEnv(t)
	var e conference.Edition
	env.do("POST", "/api/v1/editions", "organiser", map[string]any{
		"number": 4, "name": "第四届天府科技云服务大会", "year": 2025,
		"starts_on": "2025-01-16", "ends_on": "2025-01-17", "city": "成都"}, 201, &e)
	if e.ID == 0 || e.Number != 4 || e.StartsOn.String() != "2025-01-16" {
		t.Fatalf("created %+v", e)
	}
	// The same number again is a conflict naming the field.
	raw := env.do("POST", "/api/v1/editions", "organiser", map[string]any{
		"number": 4, "name": "x", "year": 2025, "starts_on": "2025-01-16", "ends_on": "2025-01-17", "city": "成都"}, 409, nil)
	if info := apiError(t, raw); info.Code != "conflict" || len(info.Details) != 1 || info.Details[0].Field != "number" {
		t.Errorf("conflict body %+v", info)
	}
	// PATCH keeps the fields it does not name.
	env.do("PATCH", fmt.Sprintf("/api/v1/editions/%d", e.ID), "organiser", map[string]any{"city": "绵阳"}, 200, &e)
	if e.City != "绵阳" || e.Name != "第四届天府科技云服务大会" {
		t.Errorf("after patch %+v", e)
	}
	var list web.List[conference.Edition]
	env.do("GET", "/api/v1/editions?per_page=2&page=1", "", nil, 200, &list)
	if list.Total != 4 || len(list.Items) != 2 || list.Items[0].Number != 4 || list.PerPage != 2 {
		t.Errorf("list %+v", list)
	}
	env.do("GET", "/api/v1/editions?per_page=501", "", nil, 422, nil)
	env.do("GET", "/api/v1/editions/999", "", nil, 404, nil)
	env.do("GET", "/api/v1/editions/abc", "", nil, 404, nil)
}

func TestCopyEditionAPI(t *testing.T) {
	env := newTestEnv(t)
	src := env.demo.Current()
	var e conference.Edition
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/copy", src.ID), "organiser", map[string]any{
		"number": 4, "name": "第四届天府科技云服务大会", "year": 2025,
		"starts_on": "2025-01-16", "ends_on": "2025-01-17"}, 201, &e)
	if e.City != src.City {
		t.Errorf("city %q, want the source's %q", e.City, src.City)
	}
	var ds web.List[conference.Delegation]
	env.do("GET", fmt.Sprintf("/api/v1/editions/%d/delegations", e.ID), "", nil, 200, &ds)
	if ds.Total != len(env.demo.Delegations[src.ID]) {
		t.Errorf("copied %d delegations, want %d", ds.Total, len(env.demo.Delegations[src.ID]))
	}
}

func TestDelegationsAPI(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	var d conference.Delegation
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/delegations", ed), "organiser",
		map[string]string{"name": "宜宾市科协", "region": "四川省宜宾市"}, 201, &d)
	if d.ID == 0 || d.EditionID != ed {
		t.Fatalf("created %+v", d)
	}
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/delegations", ed), "organiser",
		map[string]string{"name": "宜宾市科协"}, 409, nil)
	env.do("PATCH", fmt.Sprintf("/api/v1/delegations/%d", d.ID), "organiser",
		map[string]string{"region": "宜宾"}, 200, &d)
	if d.Name != "宜宾市科协" || d.Region != "宜宾" {
		t.Errorf("after patch %+v", d)
	}
	env.do("POST", "/api/v1/editions/999/delegations", "organiser", map[string]string{"name": "x"}, 404, nil)
}

// TestBadInput covers the list of bad input and what each answers.
func TestBadInput(t *testing.T) {
	env := newTestEnv(t)
	t.Run("wrong password is 401 and does not say which part", func(t *testing.T) {
		a := apiError(t, env.do("POST", "/api/v1/session", "", map[string]string{"username": "organiser", "password": "nope-nope"}, 401, nil))
		b := apiError(t, env.do("POST", "/api/v1/session", "", map[string]string{"username": "nobody", "password": "nope-nope"}, 401, nil))
		if a.Message != b.Message || a.Code != "unauthenticated" {
			t.Errorf("messages differ or wrong code: %+v vs %+v", a, b)
		}
	})
	t.Run("too many attempts is 429", func(t *testing.T) {
		var last int
		for range 12 {
			last = env.status("POST", "/api/v1/session", "", `{"username":"leader","password":"wrong-password"}`)
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("status %d after 12 failures, want 429", last)
		}
		// Even the right password waits out the limit.
		raw := env.do("POST", "/api/v1/session", "", map[string]string{"username": "leader", "password": testPassword}, 429, nil)
		if info := apiError(t, raw); info.Code != "rate_limited" || info.Message == "" {
			t.Errorf("429 body %+v", info)
		}
	})
	t.Run("edition ending before it starts is 422 naming the field", func(t *testing.T) {
		raw := env.do("POST", "/api/v1/editions", "organiser", map[string]any{"number": 9, "name": "x", "year": 2025,
			"starts_on": "2025-01-17", "ends_on": "2025-01-16", "city": "成都"}, 422, nil)
		info := apiError(t, raw)
		if info.Code != "invalid" || len(info.Details) != 1 || info.Details[0].Field != "ends_on" {
			t.Errorf("422 body %+v", info)
		}
	})
	t.Run("malformed JSON is 400 naming the problem", func(t *testing.T) {
		info := apiError(t, env.do("POST", "/api/v1/editions", "organiser", `{"number": 4,`, 400, nil))
		if info.Code != "invalid" || info.Message == "" {
			t.Errorf("400 body %+v", info)
		}
		info = apiError(t, env.do("POST", "/api/v1/editions", "organiser", `{"number": "four"}`, 400, nil))
		if len(info.Details) != 1 || info.Details[0].Field != "number" {
			t.Errorf("type error body %+v", info)
		}
	})
	t.Run("body over the limit is 413", func(t *testing.T) {
		big := `{"name":"` + strings.Repeat("x", web.MaxJSONBody) + `"}`
		info := apiError(t, env.do("POST", "/api/v1/editions", "organiser", big, 413, nil))
		if info.Code != "too_large" {
			t.Errorf("413 body %+v", info)
		}
	})
	t.Run("cross-site form post is refused", func(t *testing.T) {
		form := url.Values{"name": {"x"}}.Encode()
		req, _ := http.NewRequest("POST", env.srv.URL+fmt.Sprintf("/editions/%d/delegations", env.demo.Current().ID), strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: env.tokens[web.RoleOrganiser]})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", res.StatusCode)
		}
		var ds web.List[conference.Delegation]
		env.do("GET", fmt.Sprintf("/api/v1/editions/%d/delegations", env.demo.Current().ID), "", nil, 200, &ds)
		for _, d := range ds.Items {
			if d.Name == "x" {
				t.Error("the cross-site post created a delegation")
			}
		}
	})
	t.Run("unknown API route is a JSON 404", func(t *testing.T) {
		info := apiError(t, env.do("GET", "/api/v1/nope", "", nil, 404, nil))
		if info.Code != "not_found" {
			t.Errorf("404 body %+v", info)
		}
	})
	t.Run("messages follow Accept-Language", func(t *testing.T) {
		req, _ := http.NewRequest("GET", env.srv.URL+"/api/v1/nope", nil)
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b web.ErrorBody
		json.NewDecoder(res.Body).Decode(&b)
		if b.Error.Message != "No such page or API route." {
			t.Errorf("English message %q", b.Error.Message)
		}
	})
}

func TestSessionLifecycle(t *testing.T) {
	env := newTestEnv(t)
	var s auth.SessionAnswer
	env.do("POST", "/api/v1/session", "", map[string]string{"username": "staff", "password": testPassword}, 200, &s)
	if s.Token == "" || s.User.Role != web.RoleStaff || s.User.Username != "staff" {
		t.Fatalf("session answer %+v", s)
	}
	env.tokens["x"] = s.Token
	env.do("GET", "/api/v1/session", "x", nil, 200, nil)
	env.do("DELETE", "/api/v1/session", "x", nil, 200, nil)
	env.do("GET", "/api/v1/session", "x", nil, 401, nil)
}

func TestAccountsAPI(t *testing.T) {
	env := newTestEnv(t)
	var u auth.User
	env.do("POST", "/api/v1/users", "organiser", map[string]any{"username": "gate-1", "password": "gate-password", "role": "staff"}, 201, &u)
	env.do("POST", "/api/v1/users", "organiser", map[string]any{"username": "gate-1", "password": "gate-password", "role": "staff"}, 409, nil)
	var sess auth.SessionAnswer
	env.do("POST", "/api/v1/session", "", map[string]string{"username": "gate-1", "password": "gate-password"}, 200, &sess)
	env.tokens["gate"] = sess.Token
	env.do("GET", "/api/v1/session", "gate", nil, 200, nil)

	// Disabling the account ends its sessions at once.
	env.do("PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), "organiser", map[string]any{"disabled": true}, 200, &u)
	env.do("GET", "/api/v1/session", "gate", nil, 401, nil)
	env.do("POST", "/api/v1/session", "", map[string]string{"username": "gate-1", "password": "gate-password"}, 401, nil)

	// Re-enabled with a reset password, it signs in with the new one only.
	env.do("PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), "organiser", map[string]any{"disabled": false}, 200, nil)
	var pw struct{ Password string }
	env.do("POST", fmt.Sprintf("/api/v1/users/%d/password", u.ID), "organiser", map[string]any{}, 200, &pw)
	if len(pw.Password) < auth.MinPassword {
		t.Fatalf("generated password %q", pw.Password)
	}
	env.do("POST", "/api/v1/session", "", map[string]string{"username": "gate-1", "password": pw.Password}, 200, nil)

	// The password rule: length, the username, the common-password list.
	for _, weak := range []string{"gate-pw", "gate-1-2024", "qwertyuiop", "1234567890"} {
		raw := env.do("POST", fmt.Sprintf("/api/v1/users/%d/password", u.ID), "organiser", map[string]any{"password": weak}, 422, nil)
		if e := apiError(t, raw); len(e.Details) != 1 || e.Details[0].Field != "password" {
			t.Errorf("weak password %q: %s", weak, raw)
		}
	}
	// An organiser unlocks an account; nobody else may.
	env.do("POST", fmt.Sprintf("/api/v1/users/%d/unlock", u.ID), "organiser", nil, 200, nil)
	env.do("POST", fmt.Sprintf("/api/v1/users/%d/unlock", u.ID), "staff", nil, 403, nil)
	env.do("POST", "/api/v1/users/99999/unlock", "organiser", nil, 404, nil)

	// Each account change is in the audit trail, by whom and from where.
	var trail web.List[audit.Entry]
	env.do("GET", fmt.Sprintf("/api/v1/audit?entity=user&entity_id=%d", u.ID), "leader", nil, 200, &trail)
	actions := []string{}
	for _, e := range trail.Items {
		actions = append(actions, e.Action)
		if e.Account != "organiser" || e.Address != "127.0.0.1" {
			t.Errorf("audit row by %q from %q", e.Account, e.Address)
		}
	}
	if got := strings.Join(actions, " "); got != "set_password update update create" {
		t.Errorf("audit actions newest first: %s", got)
	}

	var list web.List[auth.User]
	env.do("GET", "/api/v1/users", "organiser", nil, 200, &list)
	if list.Total != len(web.Roles)+1 {
		t.Errorf("%d accounts, want %d", list.Total, len(web.Roles)+1)
	}
	for _, raw := range [][]byte{env.do("GET", "/api/v1/users", "organiser", nil, 200, nil)} {
		if strings.Contains(string(raw), "password_hash") || strings.Contains(string(raw), "$2a$") {
			t.Error("account list exposes password hashes")
		}
	}
}

// TestOpenAPICoversRoutes checks that every registered /api/ route is in
// the served OpenAPI document, and that the document names no route that
// does not exist.
func TestOpenAPICoversRoutes(t *testing.T) {
	env := newTestEnv(t)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	env.do("GET", "/api/v1/openapi.json", "", nil, 200, &doc)
	param := regexp.MustCompile(`:([a-z_]+)`)
	registered := map[string]bool{}
	for _, r := range env.engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		m := strings.ToLower(r.Method)
		registered[m+" "+p] = true
		if _, ok := doc.Paths[p][m]; !ok {
			t.Errorf("%s %s is registered but not in openapi.json", r.Method, p)
		}
	}
	for p, ops := range doc.Paths {
		if !strings.HasPrefix(p, "/api/") {
			continue
		}
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !registered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which is not registered", m, p)
			}
		}
	}
}

func TestHealthAndHeaders(t *testing.T) {
	env := newTestEnv(t)
	res, err := http.Get(env.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	h := res.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") ||
		strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Request-ID") == "" {
		t.Errorf("headers %v", h)
	}
}

// TestAPIReferencePage: /docs/api shows every operation of the served
// OpenAPI document, to anyone, with nothing loaded from another site.
func TestAPIReferencePage(t *testing.T) {
	env := newTestEnv(t)
	doc, err := apiDoc()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := web.NewAPIReference(doc)
	if err != nil {
		t.Fatal(err)
	}
	page := string(env.do("GET", "/docs/api", "", nil, 200, nil))
	n := 0
	for _, tag := range ref.Tags {
		for _, op := range tag.Ops {
			n++
			if !strings.Contains(page, `id="`+op.Anchor()+`"`) {
				t.Errorf("%s %s is not on the page", op.Method, op.Path)
			}
		}
	}
	if n < 80 {
		t.Errorf("the reference lists %d operations", n)
	}
	for _, want := range []string{"POST", "/api/v1/checkpoints/{id}/scans", "scan_id", "422", "无需登录"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "https://") || strings.Contains(page, "http://cdn") {
		t.Error("the page loads something from another site")
	}
}
