package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huizhan/conference"
	"huizhan/internal/web"
)

// browserTimeout bounds each browser test from start to end, so a page that
// never shows what a test waits for fails the test instead of hanging it.
const browserTimeout = 60 * time.Second

// browseTimeout bounds one call of browse.
const browseTimeout = 20 * time.Second

// chromiumPath finds a Chromium or Chrome executable on PATH.
func chromiumPath() (string, bool) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// newBrowser starts a headless Chromium with a fresh profile for t and
// returns the context to run chromedp actions in; it is cancelled, and the
// browser stopped, when t ends. Without a browser the test is skipped,
// except in CI (CI=true), where browser tests must run and fail instead.
// Pages are asked for in Chinese, the application's default language.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, ok := chromiumPath()
	if !ok {
		const msg = "no chromium, chromium-browser or google-chrome on PATH: browser test not run"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: browser tests must run in CI)")
		}
		t.Skip(msg)
	}
	profile := t.TempDir() // made first so it is removed after the browser stops
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Headless Chromium sends Accept-Language: en-US otherwise, and
		// the site would answer in English.
		chromedp.Flag("accept-lang", "zh-CN,zh"),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser process to exit
		cancelTimeout()
	})
	// Start the browser now, so a browser that cannot start is reported as
	// such and not as the first step of the test failing.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browserCtx
}

// browse runs steps in the browser, failing t with what was being done and
// the page the browser was on when one of them fails. The steps get
// browseTimeout between them, less than the browser's, so that a wait that
// never ends leaves time to show the page it was waiting on.
func browse(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, browseTimeout)
	err := chromedp.Do(stepCtx, steps...)
	cancel()
	if err == nil {
		return
	}
	where := "unknown page"
	if ctx.Err() == nil {
		var url, text string
		peek, cancel := context.WithTimeout(ctx, 2*time.Second)
		if chromedp.Do(peek, into(&url, chromedp.Location()), into(&text, chromedp.Text(chromedp.CSS("body")))) == nil {
			where = fmt.Sprintf("%s showing:\n%s", url, text)
		}
		cancel()
	}
	t.Fatalf("%s: %v\non %s", what, err, where)
}

// into makes a step of browse from an action that returns a value: the
// step stores the value in dst.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		*dst = v
		return chromedp.Void{}, err
	}
}

// signIn signs the browser in as the test account of role, through the
// login page, and waits for the home page.
func signIn(t *testing.T, ctx context.Context, env *testEnv, role string) {
	t.Helper()
	browse(t, ctx, "sign in as "+role,
		chromedp.Navigate(env.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), role),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		// The account box names the user only once signed in.
		chromedp.WaitVisible(chromedp.CSS(`header .account .who`)),
	)
}

// apiEditions lists every edition through the API.
func apiEditions(env *testEnv) web.List[conference.Edition] {
	env.t.Helper()
	var l web.List[conference.Edition]
	env.do("GET", fmt.Sprintf("/api/v1/editions?per_page=%d", web.MaxPerPage), "organiser", nil, 200, &l)
	return l
}

func editionNumbered(l web.List[conference.Edition], number int) (conference.Edition, bool) {
	for _, e := range l.Items {
		if e.Number == number {
			return e, true
		}
	}
	return conference.Edition{}, false
}

// TestBrowserEditionJourney: sign in as organiser, create an edition, fail
// to create one that ends before it starts, then switch to English and back.
func TestBrowserEditionJourney(t *testing.T) {
	env := newTestEnv(t)
	ctx := newBrowser(t)

	signIn(t, ctx, env, web.RoleOrganiser)
	var lang, path string
	browse(t, ctx, "read the home page",
		into(&lang, chromedp.Evaluate[string](`document.documentElement.lang`)),
		into(&path, chromedp.Evaluate[string](`location.pathname`)),
	)
	if lang != "zh-CN" || path != "/" {
		t.Fatalf("after sign-in: page %q in %q, want / in zh-CN", path, lang)
	}

	// Create the fourth edition through the form.
	const name = "第四届天府科技云服务大会"
	if _, ok := editionNumbered(apiEditions(env), 4); ok {
		t.Fatal("the demo data already has a 4th edition")
	}
	var shown, flash string
	browse(t, ctx, "create an edition",
		chromedp.Navigate(env.srv.URL+"/editions"),
		chromedp.Click(chromedp.CSS(`#new-edition`)),
		chromedp.WaitVisible(chromedp.CSS(`#edition-form`)),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=number]`), "4"),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=year]`), "2025"),
		// Typing into a date input depends on the browser's locale.
		chromedp.SetValue(chromedp.CSS(`#edition-form input[name=starts_on]`), "2025-01-16"),
		chromedp.SetValue(chromedp.CSS(`#edition-form input[name=ends_on]`), "2025-01-17"),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=city]`), "成都"),
		chromedp.Click(chromedp.CSS(`#edition-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#edition-name`)),
		into(&shown, chromedp.Text(chromedp.CSS(`#edition-name`))),
		into(&flash, chromedp.Text(chromedp.CSS(`.flash`))),
		into(&path, chromedp.Evaluate[string](`location.pathname`)),
	)
	if shown != name {
		t.Errorf("edition page shows %q, want %q", shown, name)
	}
	if flash != "大会已创建。" {
		t.Errorf("flash %q, want 大会已创建。", flash)
	}
	before := apiEditions(env)
	e, ok := editionNumbered(before, 4)
	if !ok {
		t.Fatalf("the API lists no 4th edition after the form was saved: %+v", before.Items)
	}
	if e.Name != name || e.Year != 2025 || e.City != "成都" ||
		e.StartsOn.String() != "2025-01-16" || e.EndsOn.String() != "2025-01-17" {
		t.Errorf("saved edition %+v", e)
	}
	if want := fmt.Sprintf("/editions/%d", e.ID); path != want {
		t.Errorf("after saving the browser is on %s, want %s", path, want)
	}

	// An edition that ends before it starts is refused, and the form says
	// which field is wrong.
	var errText, typed string
	var field chromedp.AttributeResult
	browse(t, ctx, "submit an edition that ends before it starts",
		chromedp.Navigate(env.srv.URL+"/editions/new"),
		chromedp.WaitVisible(chromedp.CSS(`#edition-form`)),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=number]`), "5"),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=name]`), "第五届天府科技云服务大会"),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=year]`), "2026"),
		chromedp.SetValue(chromedp.CSS(`#edition-form input[name=starts_on]`), "2026-01-20"),
		chromedp.SetValue(chromedp.CSS(`#edition-form input[name=ends_on]`), "2026-01-19"),
		chromedp.SendKeys(chromedp.CSS(`#edition-form input[name=city]`), "成都"),
		chromedp.Click(chromedp.CSS(`#edition-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.errors`)),
		into(&errText, chromedp.Text(chromedp.CSS(`.errors`))),
		into(&field, chromedp.AttributeValue(chromedp.CSS(`.errors li`), "data-field")),
		into(&typed, chromedp.Value(chromedp.CSS(`#edition-form input[name=name]`))),
	)
	if !strings.Contains(errText, "结束日期") {
		t.Errorf("error box %q does not name 结束日期", errText)
	}
	if field.Value != "ends_on" {
		t.Errorf("error detail is for field %q, want ends_on", field.Value)
	}
	if typed != "第五届天府科技云服务大会" {
		t.Errorf("the refused form lost what was typed: name is %q", typed)
	}
	after := apiEditions(env)
	if _, ok := editionNumbered(after, 5); ok || after.Total != before.Total {
		t.Errorf("the refused edition was saved: %d editions before, %d after", before.Total, after.Total)
	}

	// Switch to English on the new edition's page, and back.
	var header string
	browse(t, ctx, "switch to English",
		chromedp.Navigate(env.srv.URL+fmt.Sprintf("/editions/%d", e.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#edition-name`)),
		chromedp.Click(chromedp.CSS(`#lang-switch`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#edition-name`)),
		into(&lang, chromedp.Evaluate[string](`document.documentElement.lang`)),
		into(&header, chromedp.Text(chromedp.CSS(`header.top`))),
		into(&path, chromedp.Evaluate[string](`location.pathname`)),
	)
	if lang != "en" {
		t.Errorf("after switching to English: html lang %q", lang)
	}
	for _, want := range []string{"Editions", "Sign out", "中文"} {
		if !strings.Contains(header, want) {
			t.Errorf("English header %q lacks %q", header, want)
		}
	}
	if want := fmt.Sprintf("/editions/%d", e.ID); path != want {
		t.Errorf("the switch went to %s, want back to %s", path, want)
	}

	browse(t, ctx, "switch back to Chinese",
		chromedp.Click(chromedp.CSS(`#lang-switch`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="zh-CN"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#edition-name`)),
		into(&lang, chromedp.Evaluate[string](`document.documentElement.lang`)),
		into(&header, chromedp.Text(chromedp.CSS(`header.top`))),
		into(&shown, chromedp.Text(chromedp.CSS(`#edition-name`))),
	)
	if lang != "zh-CN" {
		t.Errorf("after switching back: html lang %q", lang)
	}
	for _, want := range []string{"历届大会", "退出", "English"} {
		if !strings.Contains(header, want) {
			t.Errorf("Chinese header %q lacks %q", header, want)
		}
	}
	if shown != name {
		t.Errorf("after switching back the page shows %q, want %q", shown, name)
	}
}
