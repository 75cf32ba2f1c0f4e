package pairing

import (
	"context"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/civil"
)

// seedProjects inserts synthetic projects into an edition, alternating
// between the fixture's two delegations of that edition.
func seedProjects(t *testing.T, f *fixture, editionID int64, dels [2]int64, demands, supplies int) {
	t.Helper()
	now := time.Now().UTC()
	for i, d := range synthCorpus(uint64(editionID), demands, supplies) {
		kind := "demand"
		if d.Supply {
			kind = synthSupplyKinds[i%len(synthSupplyKinds)]
		}
		kw := `["` + d.Keywords[0] + `","` + d.Keywords[1] + `"]`
		f.insert(`INSERT INTO projects (edition_id, delegation_id, kind, title, summary, industry, keywords, organisation,
			contact_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			editionID, dels[i%2], kind, d.Title, d.Summary, d.Industry, kw, "单位"+d.Title[:6], "联系人"+string(rune('甲'+i%40)), now, now)
	}
}

func TestSeedDemo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Now().UTC()
	second := f.insert(`INSERT INTO editions (number, name, year, starts_on, ends_on, city, created_at, updated_at)
		VALUES (2, '第二届', 2023, '2023-01-12', '2023-01-13', '成都', ?, ?) RETURNING id`, now, now)
	var dels2 [2]int64
	for i, name := range []string{"绵阳市科协", "成都市科协"} {
		dels2[i] = f.insert(`INSERT INTO delegations (edition_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			second, name, now, now)
	}
	seedProjects(t, f, second, dels2, 60, 120)
	seedProjects(t, f, f.edition, f.dels, 40, 80)
	demo := conference.Demo{Editions: []conference.Edition{
		{ID: second, Number: 2, StartsOn: civil.NewDate(2023, 1, 12)},
		{ID: f.edition, Number: 3, StartsOn: civil.NewDate(2024, 1, 18)},
	}}
	if err := f.store.SeedDemo(ctx, demo); err != nil {
		t.Fatal(err)
	}
	c2, _ := f.store.Counters(ctx, second)
	if c2.Effective < 100 || c2.Agreements != 6 {
		t.Errorf("2nd edition: %+v, want 100+ effective pairings and 6 agreements", c2)
	}
	ceremony, _ := f.store.Ceremony(ctx, f.edition)
	onStage := 0
	for _, p := range ceremony {
		if p.CeremonyPosition != nil {
			onStage++
		}
	}
	if onStage != 10 {
		t.Errorf("3rd edition: %d pairings on the signing stage, want 10", onStage)
	}
	var stages []string
	f.db.R.Select(&stages, `SELECT DISTINCT stage FROM pairings WHERE edition_id = ? ORDER BY stage`, f.edition)
	if len(stages) != len(Stages) {
		t.Errorf("3rd edition stages %v, want every stage", stages)
	}
	ms, _ := f.store.SessionMeetings(ctx, f.session.ID)
	if len(ms) == 0 {
		t.Error("no meetings booked in the pairing session")
	}
	busy, _ := f.store.commitments(ctx, f.db.R, f.edition)
	for _, m := range ms {
		c := candidate{pairing: m.Pairing, start: m.StartsAt, end: m.EndsAt}
		if cl := c.clashes(busy, m.SessionID, m.Table); len(cl) > 0 {
			t.Errorf("demo meeting of pairing %d clashes: %+v", m.PairingID, cl)
		}
	}
}
