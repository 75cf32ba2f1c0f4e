package conference

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// clock is a fake time source for the store's now field.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }

func newStore(t *testing.T, copiers ...Copier) (*Store, *db.DB, *clock) {
	t.Helper()
	d := dbtest.Open(t, Migrations())
	s := NewStore(d, copiers...)
	c := &clock{time.Date(2024, 1, 10, 8, 30, 0, 0, time.UTC)}
	s.now = c.Now
	return s, d, c
}

func date(y int, m time.Month, d int) civil.Date { return civil.NewDate(y, m, d) }

// third is the 3rd conference as the seed news page gives it.
func third() EditionInput {
	return EditionInput{Number: 3, Name: "第三届天府科技云服务大会", Year: 2024,
		StartsOn: date(2024, time.January, 18), EndsOn: date(2024, time.January, 19), City: "成都"}
}

func edition(n int) EditionInput {
	s := date(2020+n, time.January, 10+n)
	return EditionInput{Number: n, Name: "第" + string(rune('0'+n)) + "届", Year: 2020 + n,
		StartsOn: s, EndsOn: s.AddDays(1), City: "成都"}
}

func ctxb() context.Context { return context.Background() }

// wantInvalid checks that err is Invalid with exactly the details in want
// (field -> message key).
func wantInvalid(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if k := apperr.KindOf(err); k != apperr.Invalid {
		t.Fatalf("error %v has kind %s, want invalid", err, k.Code())
	}
	ae, _ := apperr.As(err)
	got := map[string]string{}
	for _, d := range ae.Details {
		got[d.Field] = d.Key
	}
	if len(ae.Details) != len(want) {
		t.Errorf("details = %+v, want %v", ae.Details, want)
	}
	for f, k := range want {
		if got[f] != k {
			t.Errorf("detail for %q has key %q, want %q (details %+v)", f, got[f], k, ae.Details)
		}
	}
}

// wantKind checks err's kind and, when key is set, its message key.
func wantKind(t *testing.T, err error, kind apperr.Kind, key string) *apperr.Error {
	t.Helper()
	if k := apperr.KindOf(err); k != kind {
		t.Fatalf("error %v has kind %s, want %s", err, k.Code(), kind.Code())
	}
	ae, ok := apperr.As(err)
	if !ok {
		t.Fatalf("error %v is not an *apperr.Error", err)
	}
	if key != "" && ae.Key != key {
		t.Errorf("error key %q, want %q", ae.Key, key)
	}
	return ae
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateEditionValidation(t *testing.T) {
	s, d, _ := newStore(t)
	long := func(n int) string { return strings.Repeat("会", n) }
	tests := []struct {
		name string
		edit func(*EditionInput)
		want map[string]string
	}{
		{"number zero", func(in *EditionInput) { in.Number = 0 }, map[string]string{"number": "edition.number_range"}},
		{"number negative", func(in *EditionInput) { in.Number = -3 }, map[string]string{"number": "edition.number_range"}},
		{"number too big", func(in *EditionInput) { in.Number = 1001 }, map[string]string{"number": "edition.number_range"}},
		{"name empty", func(in *EditionInput) { in.Name = "" }, map[string]string{"name": "error.required_max"}},
		{"name blank", func(in *EditionInput) { in.Name = " \t " }, map[string]string{"name": "error.required_max"}},
		{"name too long", func(in *EditionInput) { in.Name = long(201) }, map[string]string{"name": "error.required_max"}},
		{"year too early", func(in *EditionInput) { in.Year = 1999 }, map[string]string{"year": "edition.year_range"}},
		{"year too late", func(in *EditionInput) { in.Year = 2101 }, map[string]string{"year": "edition.year_range"}},
		{"city empty", func(in *EditionInput) { in.City = "  " }, map[string]string{"city": "error.required_max"}},
		{"city too long", func(in *EditionInput) { in.City = long(101) }, map[string]string{"city": "error.required_max"}},
		{"no start", func(in *EditionInput) { in.StartsOn = civil.Date{} }, map[string]string{"starts_on": "error.date_required"}},
		{"no end", func(in *EditionInput) { in.EndsOn = civil.Date{} }, map[string]string{"ends_on": "error.date_required"}},
		{"no dates", func(in *EditionInput) { in.StartsOn, in.EndsOn = civil.Date{}, civil.Date{} },
			map[string]string{"starts_on": "error.date_required", "ends_on": "error.date_required"}},
		{"ends before start", func(in *EditionInput) { in.EndsOn = date(2024, time.January, 17) },
			map[string]string{"ends_on": "edition.ends_before_start"}},
		{"ends a year before start", func(in *EditionInput) { in.EndsOn = date(2023, time.January, 19) },
			map[string]string{"ends_on": "edition.ends_before_start"}},
		{"longer than a month", func(in *EditionInput) { in.EndsOn = in.StartsOn.AddDays(32) },
			map[string]string{"ends_on": "edition.too_long"}},
		{"everything wrong", func(in *EditionInput) { *in = EditionInput{} },
			map[string]string{"number": "edition.number_range", "name": "error.required_max",
				"year": "edition.year_range", "city": "error.required_max",
				"starts_on": "error.date_required", "ends_on": "error.date_required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := third()
			tt.edit(&in)
			_, err := s.CreateEdition(ctxb(), in)
			wantInvalid(t, err, tt.want)
		})
	}
	if n := countRows(t, d, "editions"); n != 0 {
		t.Errorf("invalid input created %d editions", n)
	}

	// The limits themselves are allowed.
	ok := []func(*EditionInput){
		func(in *EditionInput) { in.Number, in.Year = 1, 2000 },
		func(in *EditionInput) { in.Number, in.Year = 1000, 2100 },
		func(in *EditionInput) { in.Number, in.Name, in.City = 500, long(200), long(100) },
		func(in *EditionInput) { in.Number, in.EndsOn = 501, in.StartsOn },             // one day
		func(in *EditionInput) { in.Number, in.EndsOn = 502, in.StartsOn.AddDays(31) }, // 32 days
	}
	for i, edit := range ok {
		in := third()
		edit(&in)
		if _, err := s.CreateEdition(ctxb(), in); err != nil {
			t.Errorf("valid input %d: %v", i, err)
		}
	}
}

func TestCreateEdition(t *testing.T) {
	s, _, c := newStore(t)
	in := third()
	in.Name, in.City = "  "+in.Name+" ", " 成都 "
	e, err := s.CreateEdition(ctxb(), in)
	if err != nil {
		t.Fatalf("CreateEdition: %v", err)
	}
	if e.ID == 0 || e.Number != 3 || e.Name != "第三届天府科技云服务大会" || e.City != "成都" || e.Year != 2024 {
		t.Errorf("created %+v", e)
	}
	if e.StartsOn.String() != "2024-01-18" || e.EndsOn.String() != "2024-01-19" || e.Days() != 2 {
		t.Errorf("dates %s..%s (%d days), want 2024-01-18..2024-01-19 (2)", e.StartsOn, e.EndsOn, e.Days())
	}
	if !e.CreatedAt.Equal(c.Now()) || !e.UpdatedAt.Equal(c.Now()) {
		t.Errorf("created_at %v, updated_at %v, want %v", e.CreatedAt, e.UpdatedAt, c.Now())
	}
	got, err := s.Edition(ctxb(), e.ID)
	if err != nil || got.Name != e.Name || got.StartsOn != e.StartsOn || got.EndsOn != e.EndsOn {
		t.Errorf("Edition(%d) = %+v, %v; want %+v", e.ID, got, err, e)
	}

	dup := third()
	dup.Name = "另一个"
	_, err = s.CreateEdition(ctxb(), dup)
	ae := wantKind(t, err, apperr.Conflict, "edition.number_taken")
	if len(ae.Details) != 1 || ae.Details[0].Field != "number" || ae.Details[0].Args["Number"] != 3 {
		t.Errorf("duplicate number details = %+v", ae.Details)
	}

	_, err = s.Edition(ctxb(), 9999)
	wantKind(t, err, apperr.NotFound, "edition.not_found")
}

func TestUpdateEdition(t *testing.T) {
	s, _, c := newStore(t)
	e, err := s.CreateEdition(ctxb(), third())
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateEdition(ctxb(), edition(2))
	if err != nil {
		t.Fatal(err)
	}
	c.Add(time.Hour)

	in := EditionInput{Number: 4, Name: " 第四届天府科技云服务大会 ", Year: 2025,
		StartsOn: date(2025, time.January, 16), EndsOn: date(2025, time.January, 18), City: "绵阳"}
	got, err := s.UpdateEdition(ctxb(), e.ID, in)
	if err != nil {
		t.Fatalf("UpdateEdition: %v", err)
	}
	want := Edition{ID: e.ID, Number: 4, Name: "第四届天府科技云服务大会", Year: 2025,
		StartsOn: in.StartsOn, EndsOn: in.EndsOn, City: "绵阳"}
	if got.ID != want.ID || got.Number != want.Number || got.Name != want.Name || got.Year != want.Year ||
		got.StartsOn.String() != want.StartsOn.String() || got.EndsOn.String() != want.EndsOn.String() ||
		got.City != want.City {
		t.Errorf("updated = %+v, want %+v", got, want)
	}
	if !got.CreatedAt.Equal(e.CreatedAt) || !got.UpdatedAt.Equal(c.Now()) {
		t.Errorf("created_at %v (was %v), updated_at %v (want %v)", got.CreatedAt, e.CreatedAt, got.UpdatedAt, c.Now())
	}
	if stored, err := s.Edition(ctxb(), e.ID); err != nil || stored.Number != 4 || stored.City != "绵阳" {
		t.Errorf("stored = %+v, %v", stored, err)
	}

	// Keeping its own number is fine; taking another's is not.
	if _, err := s.UpdateEdition(ctxb(), e.ID, in); err != nil {
		t.Errorf("update keeping the number: %v", err)
	}
	clash := in
	clash.Number = other.Number
	_, err = s.UpdateEdition(ctxb(), e.ID, clash)
	ae := wantKind(t, err, apperr.Conflict, "edition.number_taken")
	if len(ae.Details) != 1 || ae.Details[0].Field != "number" {
		t.Errorf("clash details = %+v", ae.Details)
	}

	bad := in
	bad.EndsOn = date(2025, time.January, 15)
	_, err = s.UpdateEdition(ctxb(), e.ID, bad)
	wantInvalid(t, err, map[string]string{"ends_on": "edition.ends_before_start"})

	_, err = s.UpdateEdition(ctxb(), 9999, edition(7))
	wantKind(t, err, apperr.NotFound, "edition.not_found")

	if stored, err := s.Edition(ctxb(), e.ID); err != nil || stored.Number != 4 || stored.EndsOn.String() != "2025-01-18" {
		t.Errorf("failed updates changed the edition: %+v, %v", stored, err)
	}
}

func TestEditionsPaging(t *testing.T) {
	s, _, _ := newStore(t)
	if es, total, err := s.Editions(ctxb(), web.Paging{Page: 1, PerPage: 10}); err != nil || total != 0 || len(es) != 0 {
		t.Fatalf("empty Editions = %v, %d, %v", es, total, err)
	}
	// Created out of order; listed newest (highest number) first.
	for _, n := range []int{3, 1, 5, 2, 4} {
		if _, err := s.CreateEdition(ctxb(), edition(n)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		page, perPage int
		want          []int
	}{
		{1, 50, []int{5, 4, 3, 2, 1}},
		{1, 2, []int{5, 4}},
		{2, 2, []int{3, 2}},
		{3, 2, []int{1}},
		{4, 2, nil},
		{2, 3, []int{2, 1}},
		{5, 1, []int{1}},
	}
	for _, tt := range tests {
		es, total, err := s.Editions(ctxb(), web.Paging{Page: tt.page, PerPage: tt.perPage})
		if err != nil {
			t.Fatalf("Editions(%d, %d): %v", tt.page, tt.perPage, err)
		}
		if total != 5 {
			t.Errorf("Editions(%d, %d) total = %d, want 5", tt.page, tt.perPage, total)
		}
		var got []int
		for _, e := range es {
			got = append(got, e.Number)
		}
		if !equalInts(got, tt.want) {
			t.Errorf("Editions(%d, %d) = %v, want %v", tt.page, tt.perPage, got, tt.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDelegations(t *testing.T) {
	s, d, _ := newStore(t)
	e3, err := s.CreateEdition(ctxb(), third())
	if err != nil {
		t.Fatal(err)
	}
	e2, err := s.CreateEdition(ctxb(), edition(2))
	if err != nil {
		t.Fatal(err)
	}

	mianyang, err := s.CreateDelegation(ctxb(), e3.ID, DelegationInput{Name: " 绵阳市科协 ", Region: " 四川省绵阳市 "})
	if err != nil {
		t.Fatalf("CreateDelegation: %v", err)
	}
	if mianyang.Name != Mianyang || mianyang.Region != "四川省绵阳市" || mianyang.EditionID != e3.ID {
		t.Errorf("created %+v", mianyang)
	}

	// Same name, same edition: a clash, however it is padded.
	_, err = s.CreateDelegation(ctxb(), e3.ID, DelegationInput{Name: "绵阳市科协  "})
	ae := wantKind(t, err, apperr.Conflict, "delegation.name_taken")
	if len(ae.Details) != 1 || ae.Details[0].Field != "name" || ae.Details[0].Args["Name"] != Mianyang {
		t.Errorf("clash details = %+v", ae.Details)
	}
	// Same name, another edition: fine.
	other, err := s.CreateDelegation(ctxb(), e2.ID, DelegationInput{Name: Mianyang})
	if err != nil {
		t.Fatalf("same name in another edition: %v", err)
	}
	if other.ID == mianyang.ID {
		t.Error("the other edition's delegation shares the ID")
	}

	_, err = s.CreateDelegation(ctxb(), 9999, DelegationInput{Name: "成都市科协"})
	wantKind(t, err, apperr.NotFound, "edition.not_found")

	_, err = s.CreateDelegation(ctxb(), e3.ID, DelegationInput{Name: "  ", Region: strings.Repeat("省", 101)})
	wantInvalid(t, err, map[string]string{"name": "error.required_max", "region": "error.max_length"})

	if n := countRows(t, d, "delegations"); n != 2 {
		t.Errorf("%d delegations, want 2", n)
	}

	// Listing is by name, per edition.
	for _, n := range []string{"遂宁市科协", "成都市科协"} {
		if _, err := s.CreateDelegation(ctxb(), e3.ID, DelegationInput{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.Delegations(ctxb(), e3.ID)
	if err != nil || len(ds) != 3 {
		t.Fatalf("Delegations = %v, %v; want 3", ds, err)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i-1].Name > ds[i].Name || ds[i].EditionID != e3.ID {
			t.Errorf("Delegations out of order or edition: %+v", ds)
		}
	}
	_, err = s.Delegations(ctxb(), 9999)
	wantKind(t, err, apperr.NotFound, "edition.not_found")

	// Renaming onto another delegation's name clashes.
	_, err = s.UpdateDelegation(ctxb(), mianyang.ID, DelegationInput{Name: "成都市科协"})
	wantKind(t, err, apperr.Conflict, "delegation.name_taken")
	renamed, err := s.UpdateDelegation(ctxb(), mianyang.ID, DelegationInput{Name: Mianyang, Region: "绵阳"})
	if err != nil || renamed.Region != "绵阳" {
		t.Errorf("UpdateDelegation = %+v, %v", renamed, err)
	}
	_, err = s.UpdateDelegation(ctxb(), 9999, DelegationInput{Name: "x"})
	wantKind(t, err, apperr.NotFound, "delegation.not_found")
	_, err = s.Delegation(ctxb(), 9999)
	wantKind(t, err, apperr.NotFound, "delegation.not_found")
	if got, err := s.Delegation(ctxb(), mianyang.ID); err != nil || got.Region != "绵阳" {
		t.Errorf("Delegation = %+v, %v", got, err)
	}
}

// copyCall is what a Copier saw.
type copyCall struct {
	from, to int64
	days     int
	dmap     map[int64]int64
	// Seen through the copy's transaction.
	editionInTx     bool
	delegationsInTx int
	// Seen from outside it, through the read pool.
	editionOutside bool
}

// recorder is a Copier that records its calls, checks it runs inside the
// copy's transaction, writes through it, and can fail.
type recorder struct {
	d     *db.DB
	name  string
	order *[]string
	calls []copyCall
	err   error
}

func (r *recorder) CopyEdition(ctx context.Context, tx *sqlx.Tx, from, to int64, days int, dmap map[int64]int64) error {
	*r.order = append(*r.order, r.name)
	c := copyCall{from: from, to: to, days: days, dmap: dmap}
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM editions WHERE id = ?`, to); err != nil {
		return err
	}
	c.editionInTx = n == 1
	if err := tx.GetContext(ctx, &c.delegationsInTx, `SELECT COUNT(*) FROM delegations WHERE edition_id = ?`, to); err != nil {
		return err
	}
	if err := r.d.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM editions WHERE id = ?`, to); err != nil {
		return err
	}
	c.editionOutside = n == 1
	r.calls = append(r.calls, c)
	// A write of this copier's own, which must share the copy's fate.
	if _, err := tx.ExecContext(ctx, `UPDATE delegations SET region = region || '+' || ? WHERE edition_id = ?`,
		r.name, to); err != nil {
		return err
	}
	return r.err
}

func TestCopyEdition(t *testing.T) {
	var order []string
	a := &recorder{name: "a", order: &order}
	b := &recorder{name: "b", order: &order}
	s, d, _ := newStore(t, a, b)
	a.d, b.d = d, d
	demo, err := s.SeedDemo(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	src := demo.Current()
	old, err := s.Delegations(ctxb(), src.ID)
	if err != nil {
		t.Fatal(err)
	}

	in := EditionInput{Number: 4, Name: "第四届天府科技云服务大会", Year: 2025,
		StartsOn: date(2025, time.January, 16), EndsOn: date(2025, time.January, 17), City: "成都"}
	e, err := s.CopyEdition(ctxb(), src.ID, in)
	if err != nil {
		t.Fatalf("CopyEdition: %v", err)
	}
	if e.Number != 4 || e.StartsOn.String() != "2025-01-16" || e.ID == src.ID {
		t.Errorf("copy = %+v", e)
	}
	if strings.Join(order, ",") != "a,b" {
		t.Errorf("copiers ran in order %v, want a,b", order)
	}

	copied, err := s.Delegations(ctxb(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(copied) != len(old) || len(old) != 10 {
		t.Fatalf("copied %d delegations of %d, want 10", len(copied), len(old))
	}
	newByID := map[int64]Delegation{}
	for _, c := range copied {
		newByID[c.ID] = c
	}
	oldIDs := map[int64]bool{}
	for _, o := range old {
		oldIDs[o.ID] = true
	}

	for _, r := range []*recorder{a, b} {
		if len(r.calls) != 1 {
			t.Fatalf("copier %s called %d times, want 1", r.name, len(r.calls))
		}
		c := r.calls[0]
		if c.from != src.ID || c.to != e.ID {
			t.Errorf("copier %s: from %d to %d, want %d to %d", r.name, c.from, c.to, src.ID, e.ID)
		}
		// 2024-01-18 to 2025-01-16 across 29 February 2024.
		if c.days != 364 {
			t.Errorf("copier %s: days = %d, want 364", r.name, c.days)
		}
		if !c.editionInTx || c.delegationsInTx != 10 {
			t.Errorf("copier %s saw edition %v, %d delegations in the transaction; want the copy",
				r.name, c.editionInTx, c.delegationsInTx)
		}
		if c.editionOutside {
			t.Errorf("copier %s: the copy was visible outside the transaction before commit", r.name)
		}
		if len(c.dmap) != len(old) {
			t.Errorf("copier %s: delegation map has %d entries, want %d", r.name, len(c.dmap), len(old))
		}
		for _, o := range old {
			to, ok := c.dmap[o.ID]
			if !ok {
				t.Errorf("copier %s: delegation %d (%s) not in the map", r.name, o.ID, o.Name)
				continue
			}
			n, ok := newByID[to]
			if !ok || oldIDs[to] {
				t.Errorf("copier %s: %s maps to %d, not a new delegation of the copy", r.name, o.Name, to)
				continue
			}
			if n.Name != o.Name || n.EditionID != e.ID {
				t.Errorf("copier %s: %s maps to %+v", r.name, o.Name, n)
			}
		}
	}
	// Both copiers' writes were committed with the copy.
	for _, c := range copied {
		if !strings.HasSuffix(c.Region, "+a+b") {
			t.Errorf("copied delegation %s region %q, want the copiers' writes", c.Name, c.Region)
		}
	}
	// The source is untouched.
	again, _ := s.Delegations(ctxb(), src.ID)
	for i := range again {
		if again[i] != old[i] {
			t.Errorf("source delegation changed: %+v -> %+v", old[i], again[i])
		}
	}
}

func TestCopyEditionRollsBack(t *testing.T) {
	var order []string
	ok := &recorder{name: "ok", order: &order}
	boom := errors.New("booths: cannot copy")
	bad := &recorder{name: "bad", order: &order, err: boom}
	s, d, _ := newStore(t, ok, bad)
	ok.d, bad.d = d, d
	demo, err := s.SeedDemo(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	src := demo.Current()
	editions, delegations := countRows(t, d, "editions"), countRows(t, d, "delegations")

	in := EditionInput{Number: 4, Name: "第四届天府科技云服务大会", Year: 2025,
		StartsOn: date(2025, time.January, 16), EndsOn: date(2025, time.January, 17), City: "成都"}
	_, err = s.CopyEdition(ctxb(), src.ID, in)
	if !errors.Is(err, boom) {
		t.Fatalf("CopyEdition = %v, want the copier's error", err)
	}
	if k := apperr.KindOf(err); k != apperr.Internal {
		t.Errorf("kind %s, want internal for a plain error", k.Code())
	}
	if strings.Join(order, ",") != "ok,bad" {
		t.Errorf("copiers ran %v", order)
	}
	if n := countRows(t, d, "editions"); n != editions {
		t.Errorf("%d editions after the failed copy, want %d", n, editions)
	}
	if n := countRows(t, d, "delegations"); n != delegations {
		t.Errorf("%d delegations after the failed copy, want %d", n, delegations)
	}
	var touched int
	if err := d.R.Get(&touched, `SELECT COUNT(*) FROM delegations WHERE region LIKE '%+ok%'`); err != nil {
		t.Fatal(err)
	}
	if touched != 0 {
		t.Errorf("the first copier's writes survived the rollback on %d rows", touched)
	}
	var four int
	if err := d.R.Get(&four, `SELECT COUNT(*) FROM editions WHERE number = 4`); err != nil || four != 0 {
		t.Errorf("edition 4 exists after the failed copy (%d, %v)", four, err)
	}

	// A copier's own kind reaches the caller.
	bad.err = apperr.New(apperr.Conflict, "booth.clash")
	_, err = s.CopyEdition(ctxb(), src.ID, in)
	wantKind(t, err, apperr.Conflict, "booth.clash")

	// Once the copier works, the same copy goes through: nothing was left
	// behind to clash with.
	bad.err = nil
	if _, err := s.CopyEdition(ctxb(), src.ID, in); err != nil {
		t.Fatalf("CopyEdition after the fix: %v", err)
	}
}

func TestCopyEditionRefusals(t *testing.T) {
	var order []string
	r := &recorder{name: "r", order: &order}
	s, d, _ := newStore(t, r)
	r.d = d
	e, err := s.CreateEdition(ctxb(), third())
	if err != nil {
		t.Fatal(err)
	}

	_, err = s.CopyEdition(ctxb(), 9999, edition(4))
	wantKind(t, err, apperr.NotFound, "edition.not_found")

	_, err = s.CopyEdition(ctxb(), e.ID, edition(3)) // number taken
	wantKind(t, err, apperr.Conflict, "edition.number_taken")

	bad := edition(4)
	bad.EndsOn = bad.StartsOn.AddDays(-1)
	_, err = s.CopyEdition(ctxb(), e.ID, bad)
	wantInvalid(t, err, map[string]string{"ends_on": "edition.ends_before_start"})

	if len(order) != 0 {
		t.Errorf("copiers ran for refused copies: %v", order)
	}
	if n := countRows(t, d, "editions"); n != 1 {
		t.Errorf("%d editions, want 1", n)
	}

	// A copy to an earlier date shifts backwards.
	early := edition(2)
	if _, err := s.CopyEdition(ctxb(), e.ID, early); err != nil {
		t.Fatal(err)
	}
	if want := e.StartsOn.DaysUntil(early.StartsOn); len(r.calls) != 1 || r.calls[0].days != want || want >= 0 {
		t.Errorf("calls %+v, want one with days %d < 0", r.calls, want)
	}
}

func TestSeedDemo(t *testing.T) {
	s, d, _ := newStore(t)
	if empty, err := s.Empty(ctxb()); err != nil || !empty {
		t.Fatalf("Empty = %v, %v; want true", empty, err)
	}
	demo, err := s.SeedDemo(ctxb())
	if err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	if len(demo.Editions) != 3 {
		t.Fatalf("%d demo editions, want 3", len(demo.Editions))
	}
	for i, e := range demo.Editions {
		if e.Number != i+1 {
			t.Errorf("edition %d has number %d", i, e.Number)
		}
		if _, ok := demo.DelegationNamed(e.ID, Mianyang); !ok {
			t.Errorf("edition %d has no %s", e.Number, Mianyang)
		}
		if len(demo.Delegations[e.ID]) == 0 {
			t.Errorf("edition %d has no delegations", e.Number)
		}
	}
	cur := demo.Current()
	if cur.Number != 3 || cur.Name != "第三届天府科技云服务大会" || cur.City != "成都" || cur.Year != 2024 {
		t.Errorf("current edition = %+v", cur)
	}
	if cur.StartsOn.String() != "2024-01-18" || cur.EndsOn.String() != "2024-01-19" {
		t.Errorf("3rd edition runs %s..%s, want 2024-01-18..2024-01-19", cur.StartsOn, cur.EndsOn)
	}
	m, ok := demo.DelegationNamed(cur.ID, Mianyang)
	if !ok || m.EditionID != cur.ID || m.Region != "四川省绵阳市" {
		t.Errorf("%s of the 3rd edition = %+v, %v", Mianyang, m, ok)
	}
	if _, ok := demo.DelegationNamed(cur.ID, "不存在"); ok {
		t.Error("DelegationNamed found a delegation that does not exist")
	}
	// What Demo reports is what is stored.
	stored, err := s.Delegations(ctxb(), cur.ID)
	if err != nil || len(stored) != len(demo.Delegations[cur.ID]) {
		t.Errorf("stored %d delegations of the 3rd, demo says %d (%v)", len(stored), len(demo.Delegations[cur.ID]), err)
	}
	_, total, err := s.Editions(ctxb(), web.Paging{Page: 1, PerPage: 50})
	if err != nil || total != 3 {
		t.Errorf("Editions total = %d, %v; want 3", total, err)
	}
	if empty, err := s.Empty(ctxb()); err != nil || empty {
		t.Errorf("Empty after seeding = %v, %v", empty, err)
	}
	opts, err := s.DelegationOptions(ctxb())
	if err != nil || len(opts) != countRows(t, d, "delegations") {
		t.Fatalf("DelegationOptions = %d, %v", len(opts), err)
	}
	if want := cur.Name + " · "; !strings.HasPrefix(opts[0].Label, want) {
		t.Errorf("first option %q, want the newest edition first", opts[0].Label)
	}

	// A second run fails rather than adding duplicates.
	before := countRows(t, d, "delegations")
	_, err = s.SeedDemo(ctxb())
	wantKind(t, err, apperr.Conflict, "edition.number_taken")
	if n := countRows(t, d, "editions"); n != 3 {
		t.Errorf("%d editions after a second seed, want 3", n)
	}
	if n := countRows(t, d, "delegations"); n != before {
		t.Errorf("%d delegations after a second seed, want %d", n, before)
	}
}
