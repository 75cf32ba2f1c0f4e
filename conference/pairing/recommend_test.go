package pairing

import (
	"context"
	"testing"
	"time"
)

// TestRecommenderFollowsChanges: a project added or changed after the
// index was built shows up in suggestions without a restart.
func TestRecommenderFollowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := NewRecommender(f.db, nil)
	demand := f.project(0, "demand", "锂电池正极材料需求", "")
	wine := f.project(1, "achievement", "白酒酿造工艺", "")
	ms, err := r.Matches(ctx, demand, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 0 {
		t.Fatalf("suggestions before any battery supply: %+v", ms)
	}
	battery := f.project(1, "achievement", "锂电池正极材料制备", "")
	if _, err := f.db.W.Exec(`UPDATE projects SET title = '锂电池回收' WHERE id = ?`, wine); err != nil {
		t.Fatal(err)
	}
	// The first query after the change may still be answered from the old
	// index while the new one is built; it must arrive soon after.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ms, err = r.Matches(ctx, demand, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(ms) != 2 || ms[0].Project.ID != battery || ms[1].Project.ID != wine {
		t.Fatalf("suggestions after the change: %+v", ms)
	}
	if len(ms[0].Reasons) == 0 || ms[0].Project.Title != "锂电池正极材料制备" {
		t.Errorf("first suggestion %+v", ms[0])
	}
	f.pairing(demand, battery)
	sug, err := r.Suggest(ctx, f.edition, SuggestFilter{DelegationID: f.dels[0], PerProject: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(sug) != 1 || len(sug[0].Matches) != 1 || sug[0].Matches[0].Project.ID != wine {
		t.Errorf("bulk suggestions must leave out the existing pair: %+v", sug)
	}
}
