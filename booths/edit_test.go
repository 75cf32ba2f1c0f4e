package booths

import (
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

func day(d int) civil.Date { return civil.NewDate(2024, time.January, d) }

func TestUpdateBooth(t *testing.T) {
	f := newFixture(t, 0)
	a01, a02 := f.booth(t, "A01"), f.booth(t, "A02")
	other, err := f.conf.CreateEdition(ctxb(), conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: civil.NewDate(2025, time.January, 16), EndsOn: civil.NewDate(2025, time.January, 17), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := f.store.CreateZone(ctxb(), other.ID, ZoneInput{Name: "外届展区", Hall: "1号馆"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.store.CreateZone(ctxb(), f.edition.ID, ZoneInput{Name: "第二展区", Hall: "2号馆"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		id    int64
		edit  func(*BoothInput)
		kind  apperr.Kind
		key   string
		field string
	}{
		{"code of another booth", a02.ID, func(in *BoothInput) { in.Code = "a01" }, apperr.Conflict, "booth.code_taken", "code"},
		{"zone of another edition", a02.ID, func(in *BoothInput) { in.ZoneID = foreign.ID }, apperr.Invalid, "", "zone_id"},
		{"off the plan", a02.ID, func(in *BoothInput) { in.X = -1 }, apperr.Invalid, "", "x"},
		{"no such booth", a02.ID + 100, func(*BoothInput) {}, apperr.NotFound, "booth.not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := a02.InputOf()
			tc.edit(&in)
			_, err := f.store.UpdateBooth(ctxb(), tc.id, in)
			ae := wantKind(t, err, tc.kind, tc.key)
			if tc.field != "" && (len(ae.Details) == 0 || ae.Details[0].Field != tc.field) {
				t.Errorf("details %+v, want field %s", ae.Details, tc.field)
			}
		})
	}
	in := a02.InputOf()
	in.Code, in.ZoneID, in.X, in.W = "b07", second.ID, 12, 6
	b, err := f.store.UpdateBooth(ctxb(), a02.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if b.Code != "B07" || b.ZoneID != second.ID || b.Hall != "2号馆" || b.X != 12 || b.W != 6 || b.AreaM2 != a02.AreaM2 {
		t.Errorf("updated booth %+v", b)
	}
	if got, _ := f.store.Booth(ctxb(), a01.ID); got.Code != "A01" {
		t.Errorf("the other booth changed: %+v", got)
	}
}

func TestDeleteBooth(t *testing.T) {
	f := newFixture(t, 1)
	free, reserved, assigned := f.booth(t, "A01"), f.booth(t, "A02"), f.booth(t, "A03")
	staff := addStaff(t, f, "staff1")
	if _, err := f.store.BindStaff(ctxb(), free.ID, staff); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Reserve(ctxb(), reserved.ID, f.dels[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Assign(ctxb(), assigned.ID, f.dels[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   int64
		kind apperr.Kind
		key  string
	}{
		{"reserved", reserved.ID, apperr.Conflict, "booth.delete_held"},
		{"assigned", assigned.ID, apperr.Conflict, "booth.delete_held"},
		{"missing", assigned.ID + 100, apperr.NotFound, "booth.not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ae := wantKind(t, f.store.DeleteBooth(ctxb(), tc.id), tc.kind, tc.key)
			if tc.kind == apperr.Conflict && ae.Args["Holder"] != f.dels[0].Name {
				t.Errorf("409 does not name the holder: %+v", ae.Args)
			}
			if _, err := f.store.Booth(ctxb(), tc.id); tc.kind == apperr.Conflict && err != nil {
				t.Errorf("refused delete removed the booth: %v", err)
			}
		})
	}
	if err := f.store.DeleteBooth(ctxb(), free.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.store.StaffBooth(ctxb(), staff); ok {
		t.Error("staff still bound to a deleted booth")
	}
	if _, err := f.store.Release(ctxb(), assigned.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.store.DeleteBooth(ctxb(), assigned.ID); err != nil {
		t.Errorf("delete after release: %v", err)
	}
	if _, err := f.store.Booth(ctxb(), assigned.ID); err == nil {
		t.Error("released booth not deleted")
	}
}

func TestUpdateAndDeleteZone(t *testing.T) {
	f := newFixture(t, 1)
	f.booth(t, "A01")
	f.booth(t, "A02")
	empty, err := f.store.CreateZone(ctxb(), f.edition.ID, ZoneInput{Name: "空展区", Hall: "2号馆"})
	if err != nil {
		t.Fatal(err)
	}
	in := empty.InputOf()
	in.Name = f.zone.Name
	_, err = f.store.UpdateZone(ctxb(), empty.ID, in)
	wantKind(t, err, apperr.Conflict, "zone.name_taken")

	in = empty.InputOf()
	in.Name, in.Key, in.DelegationID = "绵阳展区", true, &f.dels[0].ID
	z, err := f.store.UpdateZone(ctxb(), empty.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if z.Name != "绵阳展区" || !z.Key || z.Delegation != f.dels[0].Name || z.Hall != "2号馆" {
		t.Errorf("updated zone %+v", z)
	}
	ae := wantKind(t, f.store.DeleteZone(ctxb(), f.zone.ID), apperr.Conflict, "zone.has_booths")
	if ae.Args["Count"] != 2 {
		t.Errorf("409 does not count the booths: %+v", ae.Args)
	}
	if err := f.store.DeleteZone(ctxb(), empty.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.Zone(ctxb(), empty.ID)
	wantKind(t, err, apperr.NotFound, "zone.not_found")
	wantKind(t, f.store.DeleteZone(ctxb(), empty.ID), apperr.NotFound, "zone.not_found")
}

// TestZoneDaysWithinEdition: the fixture's edition runs 18–19 January 2024.
func TestZoneDaysWithinEdition(t *testing.T) {
	f := newFixture(t, 0)
	for i, tc := range []struct {
		name          string
		opens, closes civil.Date
		bad           []string
	}{
		{"edition's days", civil.Date{}, civil.Date{}, nil},
		{"first day only", day(18), day(18), nil},
		{"both days", day(18), day(19), nil},
		{"opens before", day(17), day(19), []string{"opens_on"}},
		{"closes after", day(18), day(20), []string{"closes_on"}},
		{"only closes, after", civil.Date{}, day(25), []string{"closes_on"}},
		{"both outside", day(1), day(30), []string{"opens_on", "closes_on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ZoneInput{Name: "展区" + string(rune('A'+i)), Hall: "1号馆", OpensOn: tc.opens, ClosesOn: tc.closes}
			_, err := f.store.CreateZone(ctxb(), f.edition.ID, in)
			up := f.zone.InputOf()
			up.OpensOn, up.ClosesOn = tc.opens, tc.closes
			_, uerr := f.store.UpdateZone(ctxb(), f.zone.ID, up)
			for op, err := range map[string]error{"create": err, "update": uerr} {
				if tc.bad == nil {
					if err != nil {
						t.Errorf("%s: %v", op, err)
					}
					continue
				}
				ae := wantKind(t, err, apperr.Invalid, "")
				var fields []string
				for _, d := range ae.Details {
					if d.Key == "zone.outside_edition" {
						fields = append(fields, d.Field)
					}
				}
				if len(fields) != len(tc.bad) || fields[0] != tc.bad[0] || fields[len(fields)-1] != tc.bad[len(tc.bad)-1] {
					t.Errorf("%s: bad fields %v, want %v", op, fields, tc.bad)
				}
			}
		})
	}
}

func TestShiftWithin(t *testing.T) {
	for _, tc := range []struct {
		in   civil.Date
		days int
		want string
	}{
		{civil.Date{}, 365, ""},
		{day(18), 2, "2024-01-20"},
		{day(18), -5, "2024-01-15"}, // clamped to the first day
		{day(19), 10, "2024-01-25"}, // clamped to the last day
	} {
		if got := shiftWithin(tc.in, tc.days, day(15), day(25)).String(); got != tc.want {
			t.Errorf("shiftWithin(%s, %d) = %q, want %q", tc.in, tc.days, got, tc.want)
		}
	}
}
