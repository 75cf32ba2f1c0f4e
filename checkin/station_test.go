package checkin

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// stationEnv is the check-in routes over a fixture, with an organiser and
// a staff token.
type stationEnv struct {
	*webtest.Env
	f          *fixture
	org, staff string
}

func newStationEnv(t *testing.T) *stationEnv {
	t.Helper()
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).UsePasswords(func(ctx context.Context, username, password string) error {
		_, err := env.Auth.Authenticate(ctx, username, password)
		return err
	}).Register(env.Engine)
	return &stationEnv{Env: env, f: f, org: env.Token(web.RoleOrganiser, 0), staff: env.Token(web.RoleStaff, 0)}
}

func (e *stationEnv) scan(cp int64, body map[string]any, status int) Result {
	e.T.Helper()
	var r Result
	e.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", cp), e.staff, body, status, &r)
	return r
}

// Each not_allowed rejection says why in detail, with its own words.
func TestRejectionDetails(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	media := f.checkpoint(f.e1.ID, CheckpointInput{Name: "媒体区", Kind: "gate", Categories: CategoryList{"media"}})
	open, closes := time.Date(2024, 1, 19, 1, 0, 0, 0, time.UTC), time.Date(2024, 1, 19, 2, 0, 0, 0, time.UTC)
	door := f.checkpoint(f.e1.ID, CheckpointInput{Name: "开幕式", Kind: "session", OpensAt: &open, ClosesAt: &closes})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	evening := clockFrom(time.Date(2024, 1, 19, 20, 0, 0, 0, china))
	messages := map[string]string{}
	for i, tc := range []struct {
		detail string
		cp     int64
		clock  time.Time
	}{
		{ReasonExpired, gate.ID, time.Date(2024, 1, 20, 9, 0, 0, 0, china)},
		{ReasonNotYetValid, gate.ID, time.Date(2024, 1, 17, 9, 0, 0, 0, china)},
		{ReasonCategory, media.ID, time.Time{}},
		{ReasonClosed, door.ID, time.Time{}},
	} {
		t.Run(tc.detail, func(t *testing.T) {
			f.store.SetClock(evening)
			if !tc.clock.IsZero() {
				f.store.SetClock(clockFrom(tc.clock))
			}
			r := e.scan(tc.cp, map[string]any{"code": a.Code, "scan_id": fmt.Sprintf("d-%d", i)}, 422)
			if r.Verdict != Rejected || r.Reason != ReasonNotAllowed || r.Detail != tc.detail || r.Message == "" {
				t.Errorf("answer %+v, want not_allowed with detail %s and a message", r, tc.detail)
			}
			messages[tc.detail] = r.Message
		})
	}
	// pending is set by registration; its answer is built the same way.
	seen := map[string]string{}
	for d, m := range messages {
		if other, dup := seen[m]; dup {
			t.Errorf("%s and %s share the words %q", d, other, m)
		}
		seen[m] = d
	}
	for _, d := range []string{ReasonExpired, ReasonNotYetValid, ReasonCategory, ReasonClosed, ReasonPending} {
		if !notAllowedDetails[d] {
			t.Errorf("%s is not answered as a detail of not_allowed", d)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			if l := e.Site.Catalog.For(lang); l.Label("checkin.reason", d) == "checkin.reason."+d {
				t.Errorf("%s has no words in %s", d, lang)
			}
		}
	}
}

// A checkpoint in rehearsal takes badges on any day, marks its scans, and
// they count in no stats; a real scan on the day is not their duplicate.
func TestRehearsal(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	var gate Checkpoint
	e.Do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", f.e1.ID), e.org,
		map[string]any{"name": "主入口", "kind": "gate", "rule": "once", "rehearsal": true}, 201, &gate)
	if !gate.Rehearsal {
		t.Fatalf("created %+v, want rehearsal", gate)
	}
	a := f.attendee(f.e1.ID, "王伟", "guest")
	// The day before the edition: badges are not valid yet.
	f.store.SetClock(clockFrom(time.Date(2024, 1, 17, 15, 0, 0, 0, china)))
	r := e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "r-1"}, 201)
	if r.Verdict != Accepted || !r.Rehearsal || r.Attendee == nil {
		t.Errorf("rehearsal scan %+v, want accepted and marked", r)
	}
	if r := e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "r-2"}, 200); r.Verdict != Duplicate || !r.Rehearsal {
		t.Errorf("second rehearsal scan %+v, want a marked duplicate", r)
	}
	var st Stats
	e.Do("GET", fmt.Sprintf("/api/v1/editions/%d/checkins/stats", f.e1.ID), e.org, nil, 200, &st)
	if st.Scans != 0 || st.People != 0 || len(st.ByDay) != 0 {
		t.Errorf("stats count rehearsal scans: %+v", st)
	}
	l, err := f.store.LiveCounters(f.ctx, f.e1.ID)
	if err != nil || l.Scans != 0 || l.PeopleToday != 0 {
		t.Errorf("live counters count rehearsal scans: %+v %v", l, err)
	}
	// Staff may not change it; an organiser ends the rehearsal.
	e.Do("PATCH", fmt.Sprintf("/api/v1/checkpoints/%d", gate.ID), e.staff, map[string]any{"rehearsal": false}, 403, nil)
	e.Do("PATCH", fmt.Sprintf("/api/v1/checkpoints/%d", gate.ID), e.org, map[string]any{"rehearsal": false}, 200, &gate)
	if gate.Rehearsal {
		t.Fatalf("patched %+v, want out of rehearsal", gate)
	}
	if r := e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "r-3"}, 422); r.Detail != ReasonNotYetValid {
		t.Errorf("after the rehearsal, the day before: %+v", r)
	}
	f.store.SetClock(clockFrom(time.Date(2024, 1, 18, 9, 0, 0, 0, china)))
	if r := e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "r-4"}, 201); r.Verdict != Accepted || r.Rehearsal {
		t.Errorf("on the day: %+v, want accepted (not a duplicate of the rehearsal)", r)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/editions/%d/checkins/stats", f.e1.ID), e.org, nil, 200, &st)
	if st.Scans != 2 || st.People != 1 {
		t.Errorf("stats after the day's scan: %+v, want the 2 real scans (1 rejected, 1 accepted)", st)
	}
	if l, _ := f.store.LiveCounters(f.ctx, f.e1.ID); l.PeopleToday != 1 {
		t.Errorf("people let in today %d, want 1", l.PeopleToday)
	}
}

// Opening a badge URL changes nothing, whoever opens it; the staff
// member's button records the scan.
func TestBadgeURLStoresNothing(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	get := func(token string) string {
		req := mustReq(t, "GET", e.Server.URL+"/b/"+a.Code)
		req.AddCookie(&http.Cookie{Name: StationCookie, Value: fmt.Sprint(gate.ID)})
		res, body := e.Request(req, token)
		if res.StatusCode != 200 {
			t.Fatalf("GET /b/: %d", res.StatusCode)
		}
		return string(body)
	}
	for _, who := range []string{"", e.staff, e.org} {
		get(who)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans`); n != 0 {
		t.Fatalf("opening the badge URL stored %d scans", n)
	}
	page := get(e.staff)
	if !strings.Contains(page, `action="/b/`+a.Code+`/scan"`) || !strings.Contains(page, "南门") {
		t.Fatalf("no button to record at the station's checkpoint:\n%s", page)
	}
	scanID := page[strings.Index(page, `name="scan_id" value="`)+len(`name="scan_id" value="`):]
	scanID = scanID[:strings.Index(scanID, `"`)]
	post := func() string {
		form := url.Values{"checkpoint_id": {fmt.Sprint(gate.ID)}, "scan_id": {scanID}}
		req, _ := http.NewRequest("POST", e.Server.URL+"/b/"+a.Code+"/scan", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, body := e.Request(req, e.staff)
		if res.StatusCode != 200 {
			t.Fatalf("POST scan: %d %s", res.StatusCode, body)
		}
		return string(body)
	}
	if p := post(); !strings.Contains(p, "verdict-accepted") {
		t.Errorf("recorded page shows no accepted verdict")
	}
	post() // pressed twice: the same scan
	if n := f.count(`SELECT COUNT(*) FROM scans`); n != 1 {
		t.Errorf("%d scans stored by the button, want 1", n)
	}
}

// A scan_id stored at one checkpoint answers 409 at another, without the
// stored scan's attendee.
func TestReplayedScanIDElsewhere(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	vip := f.checkpoint(f.e1.ID, CheckpointInput{Name: "贵宾室", Kind: "gate"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "x-1"}, 201)
	raw := e.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", vip.ID), e.staff,
		map[string]any{"code": "ANYTHING", "scan_id": "x-1"}, 409, nil)
	if strings.Contains(string(raw), "王伟") {
		t.Errorf("the 409 names the attendee: %s", raw)
	}
	raw = e.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans/batch", vip.ID), e.staff,
		map[string]any{"scans": []map[string]any{{"code": a.Code, "scan_id": "x-2"}, {"code": "X", "scan_id": "x-1"}}}, 409, nil)
	if info := webtest.ErrorOf(t, raw); strings.Contains(string(raw), "王伟") || len(info.Details) != 1 || info.Details[0].Row != 2 {
		t.Errorf("batch replay: %s, want 409 naming row 2 and no attendee", raw)
	}
	// At its own checkpoint the replay answers the stored result.
	if r := e.scan(gate.ID, map[string]any{"code": a.Code, "scan_id": "x-1"}, 201); r.Attendee == nil {
		t.Errorf("replay at the same checkpoint: %+v", r)
	}
}

// The forged-code limit follows the account and address: a new
// X-Device-ID on every request does not escape it.
func TestRotatingDeviceIDHitsTheLimit(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	limited := 0
	for i := range 60 {
		req, _ := http.NewRequest("POST", e.Server.URL+fmt.Sprintf("/api/v1/checkpoints/%d/scans", gate.ID),
			strings.NewReader(fmt.Sprintf(`{"code":"FORGED%d","scan_id":"f-%d"}`, i, i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Device-ID", fmt.Sprintf("device-%d", i))
		res, _ := e.Request(req, e.staff)
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited < 25 {
		t.Errorf("%d of 60 forged scans with rotating device IDs refused, want at least 25", limited)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'forged'`); n > floodAfter {
		t.Errorf("%d forged scans stored one by one, want at most %d", n, floodAfter)
	}
}

// The access log holds no whole badge code or judge token.
func TestAccessLogRedactsCodes(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	var mu sync.Mutex
	var buf bytes.Buffer
	e.Site.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	a := f.attendee(f.e1.ID, "王伟", "guest")
	const token = "JUDGETOKEN0123456789abcdef"
	for _, path := range []string{"/b/" + a.Code, "/b/" + a.Code + "/qr.png", "/b/" + a.Code + "/nothing-here",
		"/judge/" + token, "/api/v1/judging/" + token} {
		e.Request(mustReq(t, "GET", e.Server.URL+path), "")
	}
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	if !strings.Contains(log, "/b/"+a.Code[:4]) {
		t.Fatalf("the log does not show the requests:\n%s", log)
	}
	for _, secret := range []string{a.Code, a.Code[:12], token, token[:12]} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// An organiser starts and ends a rehearsal from the checkpoints page.
func TestRehearsalFromThePage(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	toggle := func(token, on string) int {
		req, _ := http.NewRequest("POST", e.Server.URL+fmt.Sprintf("/checkpoints/%d/rehearsal", gate.ID),
			strings.NewReader(url.Values{"rehearsal": {on}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, _ := e.Request(req, token)
		return res.StatusCode
	}
	if s := toggle(e.staff, "1"); s != http.StatusForbidden {
		t.Errorf("staff starting a rehearsal: %d, want 403", s)
	}
	for _, on := range []string{"1", "0"} {
		if s := toggle(e.org, on); s != http.StatusSeeOther {
			t.Fatalf("organiser, rehearsal=%s: %d", on, s)
		}
		cp, err := f.store.Checkpoint(f.ctx, gate.ID)
		if err != nil || cp.Rehearsal != (on == "1") {
			t.Errorf("after rehearsal=%s the checkpoint is %+v (%v)", on, cp, err)
		}
	}
	res, page := e.Request(mustReq(t, "GET", e.Server.URL+fmt.Sprintf("/editions/%d/checkpoints", f.e1.ID)), e.org)
	if res.StatusCode != 200 || !strings.Contains(string(page), fmt.Sprintf(`id="rehearsal-%d"`, gate.ID)) {
		t.Errorf("checkpoints page: %d, no rehearsal button", res.StatusCode)
	}
}
