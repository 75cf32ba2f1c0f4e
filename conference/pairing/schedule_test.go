package pairing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// randomHall makes a session, pairings over a small pool of projects and
// presenters (so that they collide), and some busy commitments.
func randomHall(r *rand.Rand, tables, slots, pairings int) (Session, []Pairing, []commitment) {
	ss := Session{ID: 1, EditionID: 1, Kind: "pairing", StartsAt: hallStart, EndsAt: hallStart.Add(time.Duration(slots*20) * time.Minute),
		MeetingMinutes: 20, Tables: tables}
	projects := max(pairings/2, 4)
	presenter := func(p int64) string {
		if p%3 == 0 {
			return ""
		}
		return fmt.Sprintf("presenter-%d", p%int64(projects/2+1))
	}
	var ps []Pairing
	for i := range pairings {
		d, s := int64(r.IntN(projects)+1), int64(projects+r.IntN(projects)+1)
		p := Pairing{ID: int64(i + 1), DemandID: d, SupplyID: s, Stage: StageProposed, Request: RequestNone}
		p.Demand.ContactName, p.Supply.ContactName = presenter(d), presenter(s)
		if r.IntN(20) == 0 {
			p.Request = RequestPending
		}
		ps = append(ps, p)
	}
	var busy []commitment
	for range pairings / 10 {
		start := ss.SlotStart(r.IntN(slots)).Add(time.Duration(r.IntN(30)) * time.Minute)
		c := commitment{roadshow: r.IntN(2) == 0, sessionID: 1, table: r.IntN(tables) + 1,
			projects: [2]int64{int64(r.IntN(2 * projects)), 0}, presenters: [2]string{presenter(int64(r.IntN(projects)))},
			start: start, end: start.Add(25 * time.Minute)}
		if c.roadshow {
			c.sessionID = 2
		}
		busy = append(busy, c)
	}
	return ss, ps, busy
}

// TestScheduleNoClash is a property test: for seeded random halls the
// scheduler's placements never share a table and slot, never put a
// project or presenter in two places at once, never touch what was busy,
// and account for every pairing.
func TestScheduleNoClash(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 2))
		ss, ps, busy := randomHall(r, 1+r.IntN(6), 1+r.IntN(8), 1+r.IntN(80))
		placed, unplaced := schedule(ss, ps, busy)
		if len(placed)+len(unplaced) != len(ps) {
			t.Fatalf("seed %d: %d placed + %d unplaced of %d", seed, len(placed), len(unplaced), len(ps))
		}
		byID := map[int64]Pairing{}
		for _, p := range ps {
			byID[p.ID] = p
		}
		// Check each placement against the busy list and all earlier ones,
		// with the same rule a single booking is checked by.
		var seen []commitment
		for _, pl := range placed {
			p := byID[pl.PairingID]
			if pl.Table < 1 || pl.Table > ss.Tables {
				t.Fatalf("seed %d: table %d of %d", seed, pl.Table, ss.Tables)
			}
			if _, ok := ss.SlotAt(pl.StartsAt); !ok {
				t.Fatalf("seed %d: %v is off the grid", seed, pl.StartsAt)
			}
			if !p.Bookable() {
				t.Fatalf("seed %d: pending request %d placed", seed, p.ID)
			}
			c := candidate{pairing: p, start: pl.StartsAt, end: pl.StartsAt.Add(20 * time.Minute)}
			if clashes := c.clashes(append(busy, seen...), ss.ID, pl.Table); len(clashes) > 0 {
				t.Fatalf("seed %d: pairing %d at table %d %v clashes: %+v", seed, p.ID, pl.Table, pl.StartsAt, clashes)
			}
			seen = append(seen, commitment{pairingID: p.ID, sessionID: ss.ID, table: pl.Table, projects: c.projects(),
				presenters: c.presenters(), start: c.start, end: c.end})
		}
		for _, u := range unplaced {
			if u.Reason == "" {
				t.Fatalf("seed %d: pairing %d unplaced without a reason", seed, u.PairingID)
			}
		}
	}
}

// TestScheduleFillsWhatFits: with distinct projects and no presenters the
// grid fills completely and the rest is grid_full.
func TestScheduleFillsWhatFits(t *testing.T) {
	ss := Session{ID: 1, StartsAt: hallStart, EndsAt: hallStart.Add(60 * time.Minute), MeetingMinutes: 20, Tables: 2}
	var ps []Pairing
	for i := range 8 {
		ps = append(ps, Pairing{ID: int64(i + 1), DemandID: int64(100 + i), SupplyID: int64(200 + i), Request: RequestNone})
	}
	placed, unplaced := schedule(ss, ps, nil)
	if len(placed) != 6 || len(unplaced) != 2 || unplaced[0].Reason != UnplacedGridFull {
		t.Errorf("placed %d, unplaced %+v", len(placed), unplaced)
	}
}

func TestAutoScheduleStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	shared := f.project(0, "demand", "需求", "张三")
	for i := range 5 {
		f.pairing(shared, f.project(1, "achievement", fmt.Sprintf("成果%d", i), ""))
	}
	res, err := f.store.AutoSchedule(ctx, f.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	// One demand in five pairings: one meeting per slot, 4 slots.
	if len(res.Placed) != 4 || len(res.Unplaced) != 1 || res.Unplaced[0].Reason != UnplacedProjectBusy {
		t.Errorf("result %+v", res)
	}
	ms, _ := f.store.SessionMeetings(ctx, f.session.ID)
	if len(ms) != 4 {
		t.Errorf("%d meetings stored", len(ms))
	}
	again, _ := f.store.AutoSchedule(ctx, f.session.ID)
	if len(again.Placed) != 0 || len(again.Unplaced) != 1 {
		t.Errorf("second run %+v: booked pairings must stay as they are", again)
	}
}

// BenchmarkAutoSchedule2000: 2,000 open pairings into 40 tables × 12 slots.
func BenchmarkAutoSchedule2000(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	ss, ps, busy := randomHall(r, 40, 12, 2000)
	b.ResetTimer()
	for b.Loop() {
		schedule(ss, ps, busy)
	}
}

// BenchmarkAutoScheduleStore2000 is the whole run through the database:
// read 2,000 open pairings and the commitments, schedule them into a
// session of 40 tables × 12 slots and store the 480 meetings.
func BenchmarkAutoScheduleStore2000(b *testing.B) {
	f := newFixtureOn(b, dbtestOpen(b))
	now := time.Now().UTC()
	sid := f.insert(`INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables,
		created_at, updated_at) SELECT edition_id, room_id, 'pairing', '大厅', ?, ?, 20, 40, ?, ? FROM agenda_sessions WHERE id = ?
		RETURNING id`, hallStart.Add(24*time.Hour), hallStart.Add(24*time.Hour+240*time.Minute), now, now, f.session.ID)
	r := rand.New(rand.NewPCG(1, 2))
	var demands, supplies []int64
	for i := range 800 {
		demands = append(demands, f.project(i%2, "demand", "需求", fmt.Sprintf("需方%d", i)))
		supplies = append(supplies, f.project(1-i%2, "achievement", "成果", fmt.Sprintf("供方%d", i)))
	}
	seen := map[[2]int64]bool{}
	for len(seen) < 2000 {
		pair := [2]int64{demands[r.IntN(len(demands))], supplies[r.IntN(len(supplies))]}
		if seen[pair] {
			continue
		}
		seen[pair] = true
		f.insert(`INSERT INTO pairings (edition_id, demand_id, supply_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			f.edition, pair[0], pair[1], now, now)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		res, err := f.store.AutoSchedule(ctx, sid)
		if err != nil || len(res.Placed) != 480 {
			b.Fatalf("placed %d: %v", len(res.Placed), err)
		}
		b.StopTimer()
		f.db.W.Exec(`DELETE FROM meetings`)
		b.StartTimer()
	}
}
