package booths

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

type fixture struct {
	db      *db.DB
	conf    *conference.Store
	store   *Store
	edition conference.Edition
	dels    []conference.Delegation
	zone    Zone
}

func ctxb() context.Context { return context.Background() }

// newFixture makes an edition with n delegations and one zone in 1号馆.
func newFixture(t testing.TB, n int) *fixture {
	t.Helper()
	return newFixtureOn(t, dbtest.Open(t, conference.Migrations(), auth.Migrations(), Migrations()), n)
}

// newFixtureOn is newFixture on a database already migrated.
func newFixtureOn(t testing.TB, d *db.DB, n int) *fixture {
	t.Helper()
	f := &fixture{db: d, store: NewStore(d)}
	f.conf = conference.NewStore(d, f.store)
	var err error
	f.edition, err = f.conf.CreateEdition(ctxb(), conference.EditionInput{Number: 3, Name: "第三届", Year: 2024,
		StartsOn: civil.NewDate(2024, time.January, 18), EndsOn: civil.NewDate(2024, time.January, 19), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		del, err := f.conf.CreateDelegation(ctxb(), f.edition.ID, conference.DelegationInput{Name: fmt.Sprintf("代表团%02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		f.dels = append(f.dels, del)
	}
	f.zone, err = f.store.CreateZone(ctxb(), f.edition.ID, ZoneInput{Name: "综合展区", Hall: "1号馆"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) booth(t testing.TB, code string) Booth {
	t.Helper()
	b, err := f.store.CreateBooth(ctxb(), f.edition.ID, BoothInput{ZoneID: f.zone.ID, Code: code})
	if err != nil {
		t.Fatalf("create booth %s: %v", code, err)
	}
	return b
}

func wantKind(t *testing.T, err error, kind apperr.Kind, key string) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != kind || (key != "" && ae.Key != key) {
		t.Fatalf("error %v, want kind %v key %q", err, kind, key)
	}
	return ae
}

func TestBoothCodeUniqueInEdition(t *testing.T) {
	f := newFixture(t, 0)
	b := f.booth(t, "A01")
	if b.Code != "A01" || b.State != StateFree || b.W != 3 || b.AreaM2 != 9 || b.Zone != "综合展区" || b.Hall != "1号馆" {
		t.Errorf("created %+v", b)
	}
	for _, code := range []string{"A01", " a01 "} {
		_, err := f.store.CreateBooth(ctxb(), f.edition.ID, BoothInput{ZoneID: f.zone.ID, Code: code})
		ae := wantKind(t, err, apperr.Conflict, "booth.code_taken")
		if ae.Args["Code"] != "A01" || len(ae.Details) != 1 || ae.Details[0].Field != "code" {
			t.Errorf("conflict for %q: %+v", code, ae)
		}
	}
	// The same code in another edition is another booth.
	copyEd, err := f.conf.CopyEdition(ctxb(), f.edition.ID, conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: civil.NewDate(2025, time.January, 16), EndsOn: civil.NewDate(2025, time.January, 17), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	zs, err := f.store.Zones(ctxb(), copyEd.ID)
	if err != nil || len(zs) != 1 {
		t.Fatalf("zones of the copy: %v %v", zs, err)
	}
	if _, err := f.store.CreateBooth(ctxb(), copyEd.ID, BoothInput{ZoneID: zs[0].ID, Code: "A02"}); err != nil {
		t.Errorf("A02 in the copy: %v", err)
	}
	// A zone of another edition is refused.
	_, err = f.store.CreateBooth(ctxb(), f.edition.ID, BoothInput{ZoneID: zs[0].ID, Code: "B01"})
	wantKind(t, err, apperr.Invalid, "")
}

func TestBoothInputValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    BoothInput
		field string
	}{
		{"no zone", BoothInput{Code: "A1"}, "zone_id"},
		{"no code", BoothInput{ZoneID: 1, Code: "  "}, "code"},
		{"slash", BoothInput{ZoneID: 1, Code: "A/1"}, "code"},
		{"negative x", BoothInput{ZoneID: 1, Code: "A1", X: -1}, "x"},
		{"tiny", BoothInput{ZoneID: 1, Code: "A1", W: 0.1, H: 3}, "w"},
		{"far", BoothInput{ZoneID: 1, Code: "A1", Y: 5000}, "y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ae := wantKind(t, tc.in.Validate(), apperr.Invalid, "error.invalid_fields")
			if ae.Details[0].Field != tc.field {
				t.Errorf("details %+v, want field %s", ae.Details, tc.field)
			}
		})
	}
}

// TestAssignRace: many organisers assign the same booth at once, each to
// another delegation. Exactly one wins; every other gets a conflict naming
// the winner.
func TestAssignRace(t *testing.T) {
	const n = 16
	f := newFixture(t, n)
	b := f.booth(t, "A01")
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = f.store.Assign(ctxb(), b.ID, f.dels[i].ID)
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("both %d and %d won", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("nobody won: %v", errs)
	}
	for i, err := range errs {
		if i == winner {
			continue
		}
		ae := wantKind(t, err, apperr.Conflict, "booth.held")
		if ae.Args["Holder"] != f.dels[winner].Name {
			t.Errorf("loser %d told holder %v, want %s", i, ae.Args["Holder"], f.dels[winner].Name)
		}
	}
	got, _ := f.store.Booth(ctxb(), b.ID)
	if got.State != StateAssigned || got.DelegationID == nil || *got.DelegationID != f.dels[winner].ID {
		t.Errorf("booth after the race: %+v", got)
	}
}

func addProject(t *testing.T, f *fixture, del int64, title string) int64 {
	t.Helper()
	var id int64
	err := f.db.W.Get(&id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, created_at, updated_at)
		VALUES (?, ?, 'achievement', ?, '电子信息', ?, ?) RETURNING id`, f.edition.ID, del, title, time.Now().UTC(), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func addStaff(t *testing.T, f *fixture, name string) int64 {
	t.Helper()
	u, err := auth.NewStore(f.db, auth.Options{BcryptCost: 4}).CreateUser(ctxb(),
		auth.NewUser{Username: name, Password: "staff-password-1", Role: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestReserveAssignMoveRelease(t *testing.T) {
	f := newFixture(t, 2)
	a1, a2, a3 := f.booth(t, "A01"), f.booth(t, "A02"), f.booth(t, "A03")
	d0, d1 := f.dels[0].ID, f.dels[1].ID

	b, err := f.store.Reserve(ctxb(), a1.ID, d0)
	if err != nil || b.State != StateReserved || b.Exhibitor != f.dels[0].Name {
		t.Fatalf("reserve: %+v %v", b, err)
	}
	_, err = f.store.Assign(ctxb(), a1.ID, d1)
	wantKind(t, err, apperr.Conflict, "booth.held")
	if b, err = f.store.Assign(ctxb(), a1.ID, d0); err != nil || b.State != StateAssigned {
		t.Fatalf("confirm reservation: %+v %v", b, err)
	}
	if b, err = f.store.Reserve(ctxb(), a1.ID, d0); err != nil || b.State != StateAssigned {
		t.Errorf("reserving an assigned booth for its holder downgraded it: %+v %v", b, err)
	}

	p := addProject(t, f, d0, "智能传感器")
	other := addProject(t, f, d1, "别人的项目")
	if _, err := f.store.SetProjects(ctxb(), a1.ID, []int64{other}); err == nil {
		t.Error("showed another delegation's project")
	}
	staff := addStaff(t, f, "booth-a")
	if _, err := f.store.SetProjects(ctxb(), a1.ID, []int64{p, p}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.BindStaff(ctxb(), a1.ID, staff); err != nil {
		t.Fatal(err)
	}

	// Moving onto a held booth fails and changes nothing.
	if _, err := f.store.Assign(ctxb(), a3.ID, d1); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.Move(ctxb(), a1.ID, a3.ID)
	wantKind(t, err, apperr.Conflict, "booth.held")

	moved, err := f.store.Move(ctxb(), a1.ID, a2.ID)
	if err != nil || moved.State != StateAssigned || *moved.DelegationID != d0 {
		t.Fatalf("move: %+v %v", moved, err)
	}
	det, _ := f.store.Detail(ctxb(), a2.ID)
	if len(det.Projects) != 1 || det.Projects[0].ID != p || len(det.Staff) != 1 || det.Staff[0].UserID != staff {
		t.Errorf("projects and staff did not move: %+v", det)
	}
	if src, _ := f.store.Detail(ctxb(), a1.ID); src.State != StateFree || src.DelegationID != nil || len(src.Projects) != 0 {
		t.Errorf("source after move: %+v", src)
	}
	if id, ok, _ := f.store.StaffBooth(ctxb(), staff); !ok || id != a2.ID {
		t.Errorf("staff booth after move: %d %v", id, ok)
	}
	_, err = f.store.Move(ctxb(), a1.ID, a2.ID)
	wantKind(t, err, apperr.Conflict, "booth.not_held")

	rel, err := f.store.Release(ctxb(), a2.ID)
	if err != nil || rel.State != StateFree || rel.DelegationID != nil || rel.Exhibitor != "" {
		t.Fatalf("release: %+v %v", rel, err)
	}
	if det, _ := f.store.Detail(ctxb(), a2.ID); len(det.Projects)+len(det.Staff) != 0 {
		t.Errorf("release left %+v", det)
	}
	if _, ok, _ := f.store.StaffBooth(ctxb(), staff); ok {
		t.Error("staff still bound after release")
	}
	_, err = f.store.Assign(ctxb(), a2.ID, 9999)
	wantKind(t, err, apperr.Invalid, "")
}

func TestGridLayout(t *testing.T) {
	g := GridInput{ZoneID: 1, Pattern: "a##", Rows: 2, Cols: 3, X: 1, Y: 2, GapX: 1, GapY: 4}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	bs := g.Booths()
	want := []struct {
		code string
		x, y float64
	}{{"A01", 1, 2}, {"A02", 5, 2}, {"A03", 9, 2}, {"A04", 1, 9}, {"A05", 5, 9}, {"A06", 9, 9}}
	if len(bs) != len(want) {
		t.Fatalf("%d booths, want %d", len(bs), len(want))
	}
	for i, w := range want {
		if bs[i].Code != w.code || bs[i].X != w.x || bs[i].Y != w.y || bs[i].W != 3 || bs[i].AreaM2 != 9 {
			t.Errorf("booth %d: %+v, want %s at (%v,%v)", i, bs[i], w.code, w.x, w.y)
		}
	}
	g2 := GridInput{Pattern: "H-#号", Start: 7, Rows: 1, Cols: 3, W: 2, H: 4}
	if err := g2.Validate(); err != nil {
		t.Fatal(err)
	}
	if c := g2.Booths()[2].Code; c != "H-9号" {
		t.Errorf("third code %q, want H-9号", c)
	}
	for _, tc := range []struct {
		name  string
		g     GridInput
		field string
	}{
		{"no hash", GridInput{Pattern: "A", Rows: 1, Cols: 1}, "code_pattern"},
		{"two runs", GridInput{Pattern: "#A#", Rows: 1, Cols: 1}, "code_pattern"},
		{"too short", GridInput{Pattern: "A#", Rows: 2, Cols: 5}, "code_pattern"},
		{"too big", GridInput{Pattern: "A####", Rows: 50, Cols: 50}, "rows"},
		{"no rows", GridInput{Pattern: "A#", Cols: 3}, "rows"},
		{"negative gap", GridInput{Pattern: "A#", Rows: 1, Cols: 1, GapX: -1}, "gap_x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ae := wantKind(t, tc.g.Validate(), apperr.Invalid, "")
			if ae.Details[0].Field != tc.field {
				t.Errorf("details %+v, want %s", ae.Details, tc.field)
			}
		})
	}
}

func TestCreateGridAllOrNothing(t *testing.T) {
	f := newFixture(t, 0)
	n, err := f.store.CreateGrid(ctxb(), f.edition.ID, GridInput{ZoneID: f.zone.ID, Pattern: "A##", Rows: 2, Cols: 20})
	if err != nil || n != 40 {
		t.Fatalf("grid: %d %v", n, err)
	}
	// B01–B10 then A01 again: the clash stops the whole grid.
	_, err = f.store.CreateGrid(ctxb(), f.edition.ID, GridInput{ZoneID: f.zone.ID, Pattern: "A##", Start: 35, Rows: 1, Cols: 10})
	ae := wantKind(t, err, apperr.Conflict, "booth.code_taken")
	if ae.Args["Code"] != "A35" {
		t.Errorf("conflict names %v, want A35", ae.Args["Code"])
	}
	_, total, _ := f.store.Booths(ctxb(), f.edition.ID, Filter{}, webPage())
	if total != 40 {
		t.Errorf("%d booths after the failed grid, want 40", total)
	}
}

func TestCopyEditionBringsFreeBooths(t *testing.T) {
	f := newFixture(t, 1)
	b := f.booth(t, "A01")
	if _, err := f.store.Assign(ctxb(), b.ID, f.dels[0].ID); err != nil {
		t.Fatal(err)
	}
	key, err := f.store.CreateZone(ctxb(), f.edition.ID, ZoneInput{Name: "绵阳展区", Hall: "2号馆", Key: true,
		DelegationID: &f.dels[0].ID, OpensOn: civil.NewDate(2024, time.January, 18), ClosesOn: civil.NewDate(2024, time.January, 19)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.conf.CopyEdition(ctxb(), f.edition.ID, conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: civil.NewDate(2025, time.January, 16), EndsOn: civil.NewDate(2025, time.January, 17), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	zs, _ := f.store.Zones(ctxb(), e.ID)
	if len(zs) != 2 {
		t.Fatalf("copied zones %+v", zs)
	}
	for _, z := range zs {
		if z.Name == key.Name && (!z.Key || z.DelegationID == nil || *z.DelegationID == f.dels[0].ID ||
			z.OpensOn.String() != "2025-01-16" || z.Delegation != f.dels[0].Name) {
			t.Errorf("copied key zone %+v", z)
		}
	}
	bs, _, _ := f.store.Booths(ctxb(), e.ID, Filter{}, webPage())
	if len(bs) != 1 || bs[0].Code != "A01" || bs[0].State != StateFree || bs[0].DelegationID != nil {
		t.Errorf("copied booths %+v", bs)
	}
}
