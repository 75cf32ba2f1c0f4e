package checkin

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// twoInstances is one database opened twice, as two app instances (two
// processes) open it, with a check-in store on each: two scan writers, each
// with its own cache of first scans. The fixture is made through the first.
func twoInstances(t *testing.T) (*fixture, *Store) {
	t.Helper()
	dsn := dbtest.DSN(t)
	open := func() *db.DB {
		d, err := db.Open(dsn, db.Options{})
		if err != nil {
			t.Fatalf("open %s: %v", dsn, err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	d1 := open()
	if err := d1.Migrate(context.Background(), migrationsForTest()...); err != nil {
		t.Fatal(err)
	}
	f := fixtureOn(t, d1)
	d2 := open()
	other := NewStore(d2, f.store.keys, conference.NewStore(d2, Copier{}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	other.now = f.store.now
	t.Cleanup(other.Close)
	return f, other
}

// Two instances scanning the same badges at the same moments accept each
// attendee once at a "once" gate and once a day at a "once_per_day" door:
// neither writer may accept a first scan that the other is storing.
func TestTwoInstancesAcceptOneFirstScan(t *testing.T) {
	f, other := twoInstances(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "once"})
	door := f.checkpoint(f.e1.ID, CheckpointInput{Name: "主会场", Kind: "session", Rule: "once_per_day"})
	const people = 40
	codes := make([]string, people)
	for i := range codes {
		codes[i] = f.attendee(f.e1.ID, fmt.Sprint("参会者", i), "guest").Code
	}
	// Two days, both within a device time's lag of the server's clock
	// (scans queued offline late on the first, sent on the second).
	clock := clockFrom(time.Date(2024, 1, 19, 8, 0, 0, 0, china))
	f.store.SetClock(clock)
	other.SetClock(clock)
	days := []time.Time{time.Date(2024, 1, 18, 23, 0, 0, 0, china), time.Date(2024, 1, 19, 0, 30, 0, 0, china)}

	// Each instance runs several stations; every station scans every badge
	// at both checkpoints on both days. Station k of either instance goes
	// in the same order, so the two writers' groups hold the same first
	// scans at the same moments.
	const stations = 4
	var (
		mu       sync.Mutex
		accepted = map[string]int{} // checkpoint|attendee|day → accepted answers
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	errs := make(chan error, 2*stations)
	for inst, s := range []*Store{f.store, other} {
		for st := range stations {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				order := rand.New(rand.NewPCG(uint64(st), 0)).Perm(people * len(days) * 2)
				for n, k := range order {
					code, day, cp := codes[k%people], days[k/people%len(days)], gate.ID
					if k >= people*len(days) {
						cp = door.ID
					}
					at := day.Add(time.Duration(n) * time.Second)
					r, err := s.Scan(f.ctx, cp, Scanner{Organiser: true, Device: "station"},
						ScanInput{Code: code, ScanID: fmt.Sprintf("i%d-s%d-%d", inst, st, n), ScannedAt: &at})
					if err != nil {
						errs <- fmt.Errorf("instance %d station %d: %w", inst, st, err)
						return
					}
					if r.Verdict == Rejected {
						errs <- fmt.Errorf("instance %d: %s rejected: %s", inst, code, r.Reason)
						return
					}
					if r.Verdict == Accepted {
						mu.Lock()
						accepted[fmt.Sprint(cp, "|", r.Attendee.ID, "|", at.In(china).Format(time.DateOnly))]++
						mu.Unlock()
					}
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// What the stations were told and what the database holds agree:
	// one accepted scan per attendee at the gate, one per attendee and day
	// at the door.
	var rows []struct {
		CheckpointID int64  `db:"checkpoint_id"`
		AttendeeID   int64  `db:"attendee_id"`
		Day          string `db:"day"`
		N            int    `db:"n"`
	}
	err := f.db.R.SelectContext(f.ctx, &rows, `SELECT checkpoint_id, attendee_id, day, COUNT(*) AS n
		FROM scans WHERE verdict = 'accepted' GROUP BY checkpoint_id, attendee_id, day`)
	if err != nil {
		t.Fatal(err)
	}
	perGate := map[int64]int{}
	stored := 0
	for _, r := range rows {
		stored += r.N
		if told := accepted[fmt.Sprint(r.CheckpointID, "|", r.AttendeeID, "|", r.Day)]; told != r.N {
			t.Errorf("checkpoint %d attendee %d on %s: %d accepted stored, %d answered", r.CheckpointID, r.AttendeeID, r.Day, r.N, told)
		}
		switch r.CheckpointID {
		case gate.ID:
			perGate[r.AttendeeID] += r.N
		case door.ID:
			if r.N != 1 {
				t.Errorf("door, attendee %d on %s: %d accepted scans, want 1", r.AttendeeID, r.Day, r.N)
			}
		}
	}
	for a, n := range perGate {
		if n != 1 {
			t.Errorf("gate, attendee %d: %d accepted scans, want 1", a, n)
		}
	}
	if want := people + people*len(days); stored != want || len(perGate) != people {
		t.Errorf("%d accepted scans stored (%d people at the gate), want %d (%d)", stored, len(perGate), want, people)
	}
	// Every other scan is stored as a duplicate of the accepted one.
	if n := f.count(`SELECT COUNT(*) FROM scans d JOIN scans a ON a.id = d.first_id
		WHERE d.verdict = 'duplicate' AND a.verdict = 'accepted' AND a.attendee_id = d.attendee_id
		AND a.checkpoint_id = d.checkpoint_id`); n != 2*stations*people*len(days)*2-stored {
		t.Errorf("%d duplicates pointing at their first scan, want %d", n, 2*stations*people*len(days)*2-stored)
	}
}

// A badge reissued through one instance is refused on the other, though
// the other had checked the old code and cached it as good; and staff
// limits set through one instance hold on the other.
func TestChangesReachOtherInstances(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) == "" {
		t.Skip("instances share a database only on PostgreSQL: set " + dbtest.PostgresEnv)
	}
	f, other := twoInstances(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	scanOn := func(s *Store, sc Scanner, code string) (Result, error) {
		return s.Scan(f.ctx, gate.ID, sc, ScanInput{Code: code, ScanID: fmt.Sprintf("x-%d", rand.Int64())})
	}
	organiser := Scanner{Organiser: true, Device: "test"}
	if r, err := scanOn(other, organiser, a.Code); err != nil || r.Verdict != Accepted {
		t.Fatalf("first scan on the other instance: %+v, %v", r, err)
	}
	if _, err := f.store.Reissue(f.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reissue to reach the other instance", func() bool {
		r, err := scanOn(other, organiser, a.Code)
		return err == nil && r.Reason == ReasonRevoked
	})

	// A staff account limited to another checkpoint through the first
	// instance may no longer scan at the gate through the second.
	hall := f.checkpoint(f.e1.ID, CheckpointInput{Name: "展厅", Kind: "gate"})
	staff := Scanner{UserID: f.user(t, "gate-staff"), Device: "test"}
	if _, err := scanOn(other, staff, a.Code); err != nil {
		t.Fatalf("unlimited staff scan: %v", err)
	}
	if err := f.store.SetStaff(f.ctx, hall.ID, []int64{staff.UserID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the staff limit to reach the other instance", func() bool {
		_, err := scanOn(other, staff, a.Code)
		return err != nil
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A station that resends a queued scan through another instance (the proxy
// chose another one) is answered with what the first instance answered,
// and the scan is stored once.
func TestScanIDIsIdempotentAcrossInstances(t *testing.T) {
	f, other := twoInstances(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "once"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	in := ScanInput{Code: a.Code, ScanID: "0192f6a4-7c1e-7000-8000-000000000001"}
	sc := Scanner{Organiser: true, Device: "station-1"}
	first, err := f.store.Scan(f.ctx, gate.ID, sc, in)
	if err != nil || first.Verdict != Accepted {
		t.Fatalf("first submission: %+v, %v", first, err)
	}
	again, err := other.Scan(f.ctx, gate.ID, sc, in)
	if err != nil || again.Verdict != Accepted || !again.ScannedAt.Equal(first.ScannedAt) {
		t.Fatalf("resent through the other instance: %+v, %v; want the first answer %+v", again, err, first)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE scan_id = ?`, in.ScanID); n != 1 {
		t.Errorf("%d rows for one scan_id, want 1", n)
	}
}
