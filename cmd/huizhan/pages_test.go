package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"huizhan/internal/auth"
)

// browserClient is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each 303.
func browserClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestLoginPages(t *testing.T) {
	env := newTestEnv(t)
	c := browserClient(t)

	// A guest asking for an organiser page is sent to sign in, and back.
	status, _, h := get(t, c, env.srv.URL+"/admin/users")
	if status != 303 || h.Get("Location") != "/login?next=%2Fadmin%2Fusers" {
		t.Fatalf("guest: %d to %q", status, h.Get("Location"))
	}
	status, body, _ := post(t, c, env.srv.URL+"/login", url.Values{"username": {"organiser"}, "password": {"wrong-one-1"}, "next": {"/admin/users"}})
	if status != 401 || !strings.Contains(body, "用户名或密码不正确") || !strings.Contains(body, `value="organiser"`) {
		t.Fatalf("wrong password: %d, form not shown again with the error", status)
	}
	status, _, h = post(t, c, env.srv.URL+"/login", url.Values{"username": {"organiser"}, "password": {testPassword}, "next": {"/admin/users"}})
	if status != 303 || h.Get("Location") != "/admin/users" {
		t.Fatalf("sign in: %d to %q", status, h.Get("Location"))
	}
	ck := h.Get("Set-Cookie")
	for _, want := range []string{auth.SessionCookie + "=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %q", ck, want)
		}
	}
	status, body, _ = get(t, c, env.srv.URL+"/admin/users")
	if status != 200 || !strings.Contains(body, "账号管理") || !strings.Contains(body, "coordinator") {
		t.Fatalf("users page: %d", status)
	}
	// A next that leaves the site is ignored.
	status, _, h = post(t, c, env.srv.URL+"/login", url.Values{"username": {"organiser"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if status != 303 || h.Get("Location") != "/" {
		t.Errorf("offsite next: %d to %q", status, h.Get("Location"))
	}
	status, _, _ = post(t, c, env.srv.URL+"/logout", nil)
	if status != 303 {
		t.Fatalf("logout %d", status)
	}
	status, _, _ = get(t, c, env.srv.URL+"/admin/users")
	if status != 303 {
		t.Errorf("after logout the users page answers %d", status)
	}
}

func signedInClient(t *testing.T, env *testEnv, role string) *http.Client {
	c := browserClient(t)
	status, _, _ := post(t, c, env.srv.URL+"/login", url.Values{"username": {role}, "password": {testPassword}})
	if status != 303 {
		t.Fatalf("sign in as %s: %d", role, status)
	}
	return c
}

func TestEditionPages(t *testing.T) {
	env := newTestEnv(t)
	c := signedInClient(t, env, "organiser")
	form := url.Values{"number": {"4"}, "name": {"第四届天府科技云服务大会"}, "year": {"2025"},
		"starts_on": {"2025-01-17"}, "ends_on": {"2025-01-16"}, "city": {"成都"}}
	status, body, _ := post(t, c, env.srv.URL+"/editions", form)
	if status != 422 || !strings.Contains(body, "结束日期: 不能早于开始日期") || !strings.Contains(body, "第四届天府科技云服务大会") {
		t.Fatalf("bad dates: %d\n%s", status, body)
	}
	form.Set("ends_on", "2025-01-18")
	status, _, h := post(t, c, env.srv.URL+"/editions", form)
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	status, body, _ = get(t, c, env.srv.URL+h.Get("Location"))
	if status != 200 || !strings.Contains(body, "大会已创建") || !strings.Contains(body, "共 2 天") {
		t.Fatalf("edition page %d", status)
	}
	ed := env.demo.Current().ID
	status, body, _ = post(t, c, env.srv.URL+fmt.Sprintf("/editions/%d/delegations", ed), url.Values{"name": {"绵阳市科协"}})
	if status != 409 || !strings.Contains(body, "本届已有名为「绵阳市科协」的代表团") {
		t.Errorf("duplicate delegation: %d", status)
	}
	status, body, _ = get(t, c, env.srv.URL+fmt.Sprintf("/editions/%d/copy", ed))
	if status != 200 || !strings.Contains(body, `value="4"`) || !strings.Contains(body, "2025-01-16") {
		t.Errorf("copy form does not propose the next edition: %d", status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	env := newTestEnv(t)
	c := browserClient(t)
	_, body, _ := get(t, c, env.srv.URL+"/editions")
	if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "历届大会") {
		t.Fatal("default language is not Chinese")
	}
	status, _, h := get(t, c, env.srv.URL+"/lang/en?next=/editions")
	if status != 303 || h.Get("Location") != "/editions" {
		t.Fatalf("switch: %d to %q", status, h.Get("Location"))
	}
	_, body, _ = get(t, c, env.srv.URL+"/editions")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Editions") {
		t.Fatal("switch to English did not stick")
	}
	if status, _, h = get(t, c, env.srv.URL+"/lang/en?next=https://evil.example"); h.Get("Location") != "/" {
		t.Errorf("offsite next followed: %d %q", status, h.Get("Location"))
	}
	// Accept-Language decides when there is no cookie.
	req, _ := http.NewRequest("GET", env.srv.URL+"/editions", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `<html lang="en">`) {
		t.Error("Accept-Language: en not honoured")
	}
}

func TestAccountPages(t *testing.T) {
	env := newTestEnv(t)
	c := signedInClient(t, env, "organiser")
	mianyang := env.demo.Delegations[env.demo.Current().ID][0]
	status, body, _ := post(t, c, env.srv.URL+"/admin/users", url.Values{"username": {"deyang"}, "password": {"deyang-pass"}, "role": {"delegation"}})
	if status != 422 || !strings.Contains(body, "代表团账号须指定所属代表团") {
		t.Fatalf("delegation account without delegation: %d", status)
	}
	status, _, _ = post(t, c, env.srv.URL+"/admin/users", url.Values{"username": {"deyang"}, "password": {"deyang-pass"},
		"role": {"delegation"}, "delegation_id": {fmt.Sprint(mianyang.ID)}})
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	status, body, _ = get(t, c, env.srv.URL+"/admin/users")
	if status != 200 || !strings.Contains(body, "deyang") || !strings.Contains(body, mianyang.Name) {
		t.Fatalf("list: %d", status)
	}
	var id int64
	if err := env.app.db.R.Get(&id, `SELECT id FROM users WHERE username = 'deyang'`); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/admin/users/%d", env.srv.URL, id)
	if status, body, _ = get(t, c, page); status != 200 || !strings.Contains(body, "selected>"+env.demo.Current().Name) {
		t.Fatalf("edit page: %d", status)
	}
	status, _, _ = post(t, c, page, url.Values{"role": {"leader"}, "disabled": {"on"}})
	if status != 303 {
		t.Fatalf("update: %d", status)
	}
	var disabled bool
	env.app.db.R.Get(&disabled, `SELECT disabled FROM users WHERE id = ?`, id)
	if !disabled {
		t.Error("account not disabled")
	}
	status, body, _ = post(t, c, page+"/password", url.Values{})
	if status != 200 || !strings.Contains(body, `id="new-password"`) {
		t.Fatalf("reset: %d", status)
	}
}
