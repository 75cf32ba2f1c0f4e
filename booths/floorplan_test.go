package booths

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

func TestSeedDemo(t *testing.T) {
	d := dbtest.Open(t, conference.Migrations(), auth.Migrations(), Migrations())
	conf, store := conference.NewStore(d), NewStore(d)
	demo, err := conf.SeedDemo(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SeedDemo(ctxb(), demo); err != nil {
		t.Fatal(err)
	}
	halls, err := store.FloorPlan(ctxb(), demo.Current().ID, "")
	if err != nil {
		t.Fatal(err)
	}
	total, assigned := 0, 0
	for _, h := range halls {
		total += len(h.Booths)
		assigned += h.Assigned
	}
	if len(halls) != 2 || total < 180 || total > 220 || assigned*10 < total*8 {
		t.Errorf("%d halls, %d booths, %d assigned", len(halls), total, assigned)
	}
	zs, _ := store.Zones(ctxb(), demo.Current().ID)
	var key, online []string
	for _, z := range zs {
		if z.Key {
			key = append(key, z.Delegation)
		}
		if z.Online {
			online = append(online, z.Name)
		}
	}
	if len(key) != 1 || key[0] != conference.Mianyang || len(online) != 1 {
		t.Errorf("key zones %v, online zones %v", key, online)
	}
}

// floorFixture is an edition with one hall of n booths, most assigned.
func floorFixture(tb testing.TB, n int) (*webtest.Env, string, int64) {
	env := webtest.New(tb, conference.Migrations(), auth.Migrations(), Migrations())
	store := NewStore(env.DB)
	NewHandlers(env.Site, store).Register(env.Engine)
	conf := conference.NewStore(env.DB, store)
	demo, err := conf.SeedDemo(ctxb())
	if err != nil {
		tb.Fatal(err)
	}
	e := demo.Current()
	z, err := store.CreateZone(ctxb(), e.ID, ZoneInput{Name: "大展区", Hall: "1号馆"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := store.CreateGrid(ctxb(), e.ID, GridInput{ZoneID: z.ID, Pattern: "A####", Rows: n / 50, Cols: 50, GapX: 0.5, GapY: 2}); err != nil {
		tb.Fatal(err)
	}
	dels := demo.Delegations[e.ID]
	_, err = env.DB.W.Exec(`UPDATE booths SET state = 'assigned', delegation_id = ? + (id % ?) WHERE id % 5 <> 0`,
		dels[0].ID, len(dels))
	if err != nil {
		tb.Fatal(err)
	}
	return env, env.Token(web.RoleOrganiser, 0), e.ID
}

func TestFloorPlanPage(t *testing.T) {
	env, tok, ed := floorFixture(t, 100)
	req := httptest.NewRequest("GET", fmt.Sprintf("/editions/%d/floorplan", ed), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	env.Engine.ServeHTTP(w, req)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, body)
	}
	if n := strings.Count(body, `<g class="booth`); n != 100 {
		t.Errorf("%d booths drawn, want 100", n)
	}
	if !strings.Contains(body, `state-assigned`) || !strings.Contains(body, "科协</text>") || strings.Contains(body, "<script>") {
		t.Error("floor plan lacks assigned booths with exhibitor names, or has inline script")
	}
}

// BenchmarkFloorPlan2000 renders the floor plan of a hall of 2,000 booths
// through the real router, templates and database: the target is
// under 100 ms of server time.
func BenchmarkFloorPlan2000(b *testing.B) {
	env, tok, ed := floorFixture(b, 2000)
	path := fmt.Sprintf("/editions/%d/floorplan", ed)
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		env.Engine.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
