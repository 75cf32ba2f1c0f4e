package roadshow

import (
	"fmt"
	"testing"

	"huizhan/conference"
)

// TestSeedDemo releases Mianyang's 20 selected projects at the opening
// ceremony, in order, puts 4 of them in the overseas special session too,
// and releases the lot.
func TestSeedDemo(t *testing.T) {
	f := newFixture(t)
	cs := conference.NewStore(f.db)
	e, err := cs.Edition(f.ctx, f.edition)
	if err != nil {
		t.Fatal(err)
	}
	dels, err := cs.Delegations(f.ctx, f.edition)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		f.project(0, fmt.Sprint("绵阳项目", i), industries[i%len(industries)], "selected")
	}
	f.project(1, "成都未入选", "电子信息", "reviewed")
	demo := conference.Demo{Editions: []conference.Edition{e}, Delegations: map[int64][]conference.Delegation{e.ID: dels}}
	if err := f.store.SeedDemo(f.ctx, demo); err != nil {
		t.Fatal(err)
	}
	// The 3rd edition's agenda waits for the launch's pairings.
	if a, err := f.store.Published(f.ctx, f.edition); err == nil && a.Release != 0 {
		t.Fatalf("released before the launch: %d", a.Release)
	}
	launched := f.project(1, "涪江流域对接成果", "电子信息", "reviewed")
	if err := f.store.SeedLaunch(f.ctx, f.edition, []LaunchPitch{{ProjectID: launched, Presenter: "成都供方"}}); err != nil {
		t.Fatal(err)
	}
	a, err := f.store.Published(f.ctx, f.edition)
	if err != nil || a.Release != 1 {
		t.Fatalf("release %d, %v", a.Release, err)
	}
	placed := 0
	for _, s := range a.Sessions {
		placed += len(s.Slots)
		if s.Title == "海外重大科创项目专场推介会" && len(s.Slots) != 4 {
			t.Errorf("overseas session has %d pitches, want 4", len(s.Slots))
		}
		if s.Kind == KindCeremony && s.StartsAt.In(China).Format("2006-01-02 15:04") != "2024-01-18 09:00" {
			t.Errorf("opening ceremony at %s", s.StartsAt.In(China))
		}
		if s.Kind == KindCeremony {
			for i, sl := range s.Slots {
				if want := fmt.Sprint("绵阳项目", i); sl.Project != want {
					t.Errorf("release %d is %s, want %s", i+1, sl.Project, want)
				}
			}
			if len(s.Slots) != 20 {
				t.Errorf("opening ceremony has %d releases, want 20", len(s.Slots))
			}
		}
		if s.Title == LaunchTitle && (len(s.Slots) != 1 || s.Slots[0].Project != "涪江流域对接成果") {
			t.Errorf("launch session pitches %+v, want the launched pairing's", s.Slots)
		}
	}
	if placed != 25 {
		t.Errorf("%d projects placed, want Mianyang's 20, 4 of them again overseas and 1 launched", placed)
	}
}

func TestCopyEdition(t *testing.T) {
	f := newFixture(t)
	s := f.session("开幕式", KindCeremony, "主会场", at(0, 9, 0), at(0, 11, 30))
	f.mustSlot(s.ID, f.project(0, "发布", "电子信息", "selected"), "甲", at(0, 9, 0), at(0, 9, 30))
	cs := conference.NewStore(f.db, f.store)
	next, err := cs.CopyEdition(f.ctx, f.edition, conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: conferenceDate(2025, 1, 16), EndsOn: conferenceDate(2025, 1, 17), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	ss, err := f.store.Sessions(f.ctx, next.ID)
	if err != nil || len(ss) != 1 {
		t.Fatalf("copied sessions %+v, %v", ss, err)
	}
	if got := ss[0].StartsAt.In(China).Format("2006-01-02 15:04"); got != "2025-01-16 09:00" || ss[0].Room != "主会场" {
		t.Errorf("copied session starts %s in %s", got, ss[0].Room)
	}
	if slots, _ := f.store.Slots(f.ctx, ss[0].ID); len(slots) != 0 {
		t.Errorf("slots were copied: %d", len(slots))
	}
}
