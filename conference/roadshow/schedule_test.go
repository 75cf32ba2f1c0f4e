package roadshow

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// randomPlanInput makes sessions with some time already taken, projects
// whose presenters sometimes repeat, and presenters busy elsewhere.
func randomPlanInput(r *rand.Rand) ([]planSession, []planProject, map[string][]interval) {
	base := at(0, 9, 0)
	var sessions []planSession
	for i := range 1 + r.IntN(5) {
		from := base.Add(time.Duration(r.IntN(8*60)) * time.Minute)
		to := from.Add(time.Duration(20+r.IntN(180)) * time.Minute)
		ps := planSession{Session: Session{ID: int64(i + 1), Title: fmt.Sprint("S", i), StartsAt: from, EndsAt: to}}
		for range r.IntN(3) {
			t := from.Add(time.Duration(r.IntN(int(to.Sub(from).Minutes()))) * time.Minute)
			ps.Taken = append(ps.Taken, interval{t, minTime(t.Add(time.Duration(5+r.IntN(30))*time.Minute), to)})
		}
		sessions = append(sessions, ps)
	}
	presenters := 1 + r.IntN(40)
	var projects []planProject
	for i := range r.IntN(60) {
		projects = append(projects, planProject{ID: int64(i + 1), Title: fmt.Sprint("P", i),
			Industry: fmt.Sprint("I", r.IntN(4)), DelegationID: int64(1 + r.IntN(5)),
			Presenter: fmt.Sprint("presenter", r.IntN(presenters))})
	}
	busy := map[string][]interval{}
	for range r.IntN(10) {
		t := base.Add(time.Duration(r.IntN(10*60)) * time.Minute)
		p := fmt.Sprint("presenter", r.IntN(presenters))
		busy[p] = append(busy[p], interval{t, t.Add(time.Duration(10+r.IntN(60)) * time.Minute)})
	}
	return sessions, projects, busy
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// TestPlanProperties checks, over many seeded random inputs, that a plan
// has no hard clash and leaves a project out only when no free gap suits
// it.
func TestPlanProperties(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 42))
		sessions, projects, busy := randomPlanInput(r)
		pitch := time.Duration(5+r.IntN(15)) * time.Minute
		change := time.Duration(r.IntN(5)) * time.Minute
		cs := candidates(sessions, pitch, change)
		isBusy := func(p string, at interval) bool { return presenterTaken(busy[p], at) }
		placed, unplaced := plan(projects, cs, isBusy)
		if len(placed)+len(unplaced) != len(projects) {
			t.Fatalf("seed %d: %d placed + %d unplaced != %d projects", seed, len(placed), len(unplaced), len(projects))
		}
		checkNoHardClash(t, seed, sessions, placed, busy, pitch)
		checkNothingFitsUnplaced(t, seed, cs, placed, unplaced, busy)
	}
}

func checkNoHardClash(t *testing.T, seed uint64, sessions []planSession, placed []ProposedSlot, busy map[string][]interval, pitch time.Duration) {
	t.Helper()
	byID := map[int64]planSession{}
	for _, s := range sessions {
		byID[s.Session.ID] = s
	}
	seen := map[int64]bool{}
	for i, a := range placed {
		at := interval{a.StartsAt, a.EndsAt}
		s := byID[a.SessionID]
		switch {
		case seen[a.ProjectID]:
			t.Fatalf("seed %d: project %d placed twice", seed, a.ProjectID)
		case a.EndsAt.Sub(a.StartsAt) != pitch:
			t.Fatalf("seed %d: slot of %s, want %s", seed, a.EndsAt.Sub(a.StartsAt), pitch)
		case a.StartsAt.Before(s.Session.StartsAt) || a.EndsAt.After(s.Session.EndsAt):
			t.Fatalf("seed %d: slot %v outside session %v–%v", seed, at, s.Session.StartsAt, s.Session.EndsAt)
		case presenterTaken(s.Taken, at):
			t.Fatalf("seed %d: slot %v on time already taken in the room", seed, at)
		case presenterTaken(busy[a.Presenter], at):
			t.Fatalf("seed %d: presenter %s busy elsewhere at %v", seed, a.Presenter, at)
		}
		seen[a.ProjectID] = true
		for _, b := range placed[i+1:] {
			other := interval{b.StartsAt, b.EndsAt}
			if a.SessionID == b.SessionID && at.overlaps(other) {
				t.Fatalf("seed %d: two slots at once in session %d", seed, a.SessionID)
			}
			if a.Presenter == b.Presenter && at.overlaps(other) {
				t.Fatalf("seed %d: presenter %s in two places", seed, a.Presenter)
			}
		}
	}
}

func checkNothingFitsUnplaced(t *testing.T, seed uint64, cs []candidate, placed []ProposedSlot, unplaced []planProject, busy map[string][]interval) {
	t.Helper()
	used := map[string]bool{}
	mine := map[string][]interval{}
	for _, p := range placed {
		used[fmt.Sprint(p.SessionID, p.StartsAt.Unix())] = true
		mine[p.Presenter] = append(mine[p.Presenter], interval{p.StartsAt, p.EndsAt})
	}
	for _, p := range unplaced {
		for _, c := range cs {
			if used[fmt.Sprint(c.Session.ID, c.At.From.Unix())] {
				continue
			}
			if !presenterTaken(busy[p.Presenter], c.At) && !presenterTaken(mine[p.Presenter], c.At) {
				t.Fatalf("seed %d: project %d left out though the gap %v of session %d suits it", seed, p.ID, c.At, c.Session.ID)
			}
		}
	}
}

func TestFairOrderGroupsIndustriesAndTakesTurns(t *testing.T) {
	ps := []planProject{
		{ID: 1, Industry: "电子信息", DelegationID: 1}, {ID: 2, Industry: "电子信息", DelegationID: 1},
		{ID: 3, Industry: "电子信息", DelegationID: 2}, {ID: 4, Industry: "生命健康", DelegationID: 1},
		{ID: 5, Industry: "电子信息", DelegationID: 3}, {ID: 6, Industry: "电子信息", DelegationID: 1},
	}
	var got []int64
	for _, p := range fairOrder(ps) {
		got = append(got, p.ID)
	}
	want := []int64{1, 3, 5, 2, 6, 4} // 电子信息 first (largest), delegations 1,2,3 in turn
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// TestProposeAndAcceptInDatabase runs the scheduler against the store: the
// proposal is accepted through the real clash check without a conflict,
// and every project is placed while there is room.
func TestProposeAndAcceptInDatabase(t *testing.T) {
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 7))
		f := newFixture(t)
		a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
		b := f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 16, 0))
		f.mustSlot(a.ID, f.project(0, "已排", "电子信息", "selected"), "项目0负责人", at(0, 14, 30), at(0, 14, 50))
		n := 5 + r.IntN(25)
		for i := range n {
			f.project(r.IntN(3), fmt.Sprint("项目", i), []string{"电子信息", "生命健康", "先进材料"}[r.IntN(3)], "selected")
		}
		f.project(1, "未入选", "电子信息", "reviewed")
		p, err := f.store.Propose(f.ctx, f.edition, ScheduleInput{SessionIDs: []int64{a.ID, b.ID}, PitchMinutes: 8, ChangeoverMinutes: 2})
		if err != nil {
			t.Fatal(err)
		}
		// 180 min less 20 taken, and 120 min: room for 16 + 12 pitches.
		if want := min(n, 27); len(p.Slots) < want || len(p.Slots)+len(p.Unplaced) != n {
			t.Fatalf("seed %d: %d placed, %d unplaced of %d", seed, len(p.Slots), len(p.Unplaced), n)
		}
		var in AcceptInput
		for _, ps := range p.Slots {
			in.Slots = append(in.Slots, acceptSlot(ps))
		}
		if _, err := f.store.Accept(f.ctx, f.edition, in); err != nil {
			t.Fatalf("seed %d: accepting the proposal: %v", seed, err)
		}
		again, err := f.store.Propose(f.ctx, f.edition, ScheduleInput{SessionIDs: []int64{a.ID, b.ID}, PitchMinutes: 8})
		if err != nil || len(again.Slots) != 0 {
			t.Fatalf("seed %d: placed projects proposed again: %d, %v", seed, len(again.Slots), err)
		}
	}
}
