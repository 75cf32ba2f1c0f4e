package pairing

import (
	"context"
	"errors"
	"sync"
	"testing"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

func kindOf(err error) apperr.Kind { return apperr.KindOf(err) }

func TestCreatePairing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.project(0, "demand", "锂电池需求", "张三")
	s := f.project(1, "achievement", "锂电池成果", "李四")
	p := f.pairing(d, s)
	if p.Stage != StageProposed || p.Request != RequestNone || p.Demand.Title != "锂电池需求" || p.Supply.Delegation != "成都市科协" {
		t.Errorf("created %+v", p)
	}
	if _, err := f.store.Create(ctx, f.edition, NewPairing{DemandID: d, SupplyID: s}, f.organiser); kindOf(err) != apperr.Conflict {
		t.Errorf("second pairing of the same pair: %v, want conflict", err)
	}
	for _, in := range []NewPairing{{DemandID: s, SupplyID: d}, {DemandID: d, SupplyID: d}, {DemandID: d, SupplyID: 9999}} {
		if _, err := f.store.Create(ctx, f.edition, in, f.organiser); kindOf(err) != apperr.Invalid {
			t.Errorf("create %+v: %v, want invalid", in, err)
		}
	}
}

func TestRequestNeedsAcceptance(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.project(0, "demand", "需求", "张三")
	s := f.project(1, "capability", "所能", "李四")
	mine := &web.Identity{UserID: 2, Username: "mianyang", Role: web.RoleDelegation, DelegationID: f.dels[0]}
	theirs := &web.Identity{UserID: 3, Username: "chengdu", Role: web.RoleDelegation, DelegationID: f.dels[1]}
	p, err := f.store.Create(ctx, f.edition, NewPairing{DemandID: d, SupplyID: s, Message: "希望对接"}, mine)
	if err != nil {
		t.Fatal(err)
	}
	if p.Request != RequestPending || p.Message != "希望对接" {
		t.Fatalf("request %+v", p)
	}
	if _, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(0)}); kindOf(err) != apperr.Conflict {
		t.Errorf("booking a pending request: %v, want conflict", err)
	}
	if _, err := f.store.Respond(ctx, p.ID, true, mine); kindOf(err) != apperr.Forbidden {
		t.Errorf("the requester accepting its own request: %v, want forbidden", err)
	}
	if p, err = f.store.Respond(ctx, p.ID, true, theirs); err != nil || p.Request != RequestAccepted {
		t.Fatalf("accept: %+v, %v", p, err)
	}
	if _, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(0)}); err != nil {
		t.Errorf("booking an accepted request: %v", err)
	}
}

func amount(v float64) *Wan { w := WanOf(v); return &w }

func TestStageRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.pairing(f.project(0, "demand", "需求", "张三"), f.project(1, "achievement", "成果", "李四"))
	day := civil.NewDate(2024, 1, 18)
	steps := []struct {
		name string
		in   StageInput
		want apperr.Kind // 0 (Internal) stands for success here
		ok   bool
	}{
		{"met", StageInput{Stage: StageMet}, 0, true},
		{"signed without amount", StageInput{Stage: StageSigned, SignedOn: day}, apperr.Invalid, false},
		{"signed without date", StageInput{Stage: StageSigned, AmountWan: amount(500)}, apperr.Invalid, false},
		{"agreement", StageInput{Stage: StageAgreement, AmountWan: amount(300), SignedOn: day, Signatories: "甲方；乙方"}, 0, true},
		{"unknown stage", StageInput{Stage: "won"}, apperr.Invalid, false},
		{"drop without reason", StageInput{Stage: StageDropped}, apperr.Invalid, false},
		{"dropped", StageInput{Stage: StageDropped, Note: "企业转产"}, 0, true},
		{"reopen without reason", StageInput{Stage: StageNegotiating, Reopen: true}, apperr.Invalid, false},
		{"reopen", StageInput{Stage: StageNegotiating, Reopen: true, Reason: "需求方恢复项目"}, 0, true},
		{"signed", StageInput{Stage: StageSigned, AmountWan: amount(500), SignedOn: day}, 0, true},
	}
	for _, st := range steps {
		got, err := f.store.SetStage(ctx, p.ID, st.in, f.organiser)
		switch {
		case st.ok && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		case !st.ok && kindOf(err) != st.want:
			t.Fatalf("%s: %v, want kind %v", st.name, err, st.want)
		case st.ok && got.Stage != st.in.Stage:
			t.Fatalf("%s: stage %s", st.name, got.Stage)
		}
	}
	got, _ := f.store.Pairing(ctx, p.ID)
	if *got.AmountWan != WanOf(500) || got.SignedOn != day || got.Signatories != "" || got.DropReason != "" {
		t.Errorf("signed pairing %+v", got)
	}
	hist, err := f.store.History(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var path []string
	for _, c := range hist {
		path = append(path, c.FromStage+">"+c.ToStage)
		if c.Username != "org" || c.ChangedAt.IsZero() {
			t.Errorf("change %+v lacks who or when", c)
		}
	}
	want := []string{">proposed", "proposed>met", "met>agreement", "agreement>dropped", "dropped>negotiating", "negotiating>signed"}
	if len(path) != len(want) {
		t.Fatalf("history %v, want %v", path, want)
	}
	for i := range want {
		if path[i] != want[i] {
			t.Errorf("history %v, want %v", path, want)
			break
		}
	}
	if hist[3].Reason != "企业转产" || !hist[3].Correction || hist[3].PreviousAmount == nil ||
		*hist[3].PreviousAmount != WanOf(300) || hist[3].PreviousOn != day || *hist[5].AmountWan != WanOf(500) {
		t.Errorf("history lost the reason or the amount: %+v", hist)
	}
	c, _ := f.store.Counters(ctx, f.edition)
	if c.Effective != 1 || c.Signed != 1 || c.AmountWan != WanOf(500) {
		t.Errorf("counters %+v", c)
	}
}

func TestBookingClashes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d1 := f.project(0, "demand", "需求一", "张三")
	d2 := f.project(0, "demand", "需求二", "王五")
	d3 := f.project(0, "demand", "需求三", "张三") // same presenter as d1
	s1 := f.project(1, "achievement", "成果一", "李四")
	s2 := f.project(1, "achievement", "成果二", "赵六")
	s3 := f.project(1, "achievement", "成果三", "钱七")
	s4 := f.project(1, "achievement", "成果四", "孙八")
	booked := f.pairing(d1, s1)
	book := func(p Pairing, table, slot int) error {
		_, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: table, StartsAt: f.slot(slot)})
		return err
	}
	if err := book(booked, 1, 0); err != nil {
		t.Fatal(err)
	}
	// A roadshow slot keeps s4 and its presenter busy in slot 2.
	f.insert(`INSERT INTO slots (session_id, edition_id, room_id, project_id, presenter, starts_at, ends_at, created_at, updated_at)
		SELECT id, edition_id, room_id, ?, '孙八', ?, ?, ?, ? FROM agenda_sessions WHERE id = ? RETURNING id`,
		s4, f.slot(2), f.slot(3), f.slot(0), f.slot(0), f.roadshow)
	tests := []struct {
		name  string
		p     Pairing
		table int
		slot  int
		kind  string
	}{
		{"table taken", f.pairing(d2, s2), 1, 0, "table"},
		{"demand busy", f.pairing(d1, s2), 2, 0, "project"},
		{"supply busy", f.pairing(d2, s1), 2, 0, "project"},
		{"presenter busy", f.pairing(d3, s3), 2, 0, "presenter"},
		{"project in a roadshow", f.pairing(d2, s4), 1, 2, "project"},
	}
	for _, tt := range tests {
		err := book(tt.p, tt.table, tt.slot)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Conflict {
			t.Errorf("%s: %v, want conflict", tt.name, err)
			continue
		}
		kinds := map[string]bool{}
		for _, d := range ae.Details {
			kinds[d.Kind] = true
		}
		if !kinds[tt.kind] {
			t.Errorf("%s: clash details %+v lack %q", tt.name, ae.Details, tt.kind)
		}
	}
	p := f.pairing(d2, s3)
	for _, bad := range []struct {
		table int
		start int // minutes after the session start
	}{{0, 0}, {3, 0}, {1, 10}, {1, 80}} {
		_, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: bad.table,
			StartsAt: f.slot(0).Add(minutes(bad.start))})
		if kindOf(err) != apperr.Invalid {
			t.Errorf("table %d at +%d min: %v, want invalid", bad.table, bad.start, err)
		}
	}
	if err := book(p, 2, 1); err != nil {
		t.Errorf("a free table and slot: %v", err)
	}
	// Moving a booked meeting does not clash with itself.
	if err := book(booked, 1, 1); err != nil {
		t.Errorf("moving a meeting: %v", err)
	}
}

func TestConcurrentBookingsOneWinner(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const n = 8
	var ps []Pairing
	for i := range n {
		ps = append(ps, f.pairing(f.project(0, "demand", "需求", ""), f.project(1, "achievement", "成果", "")))
		_ = i
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 2, StartsAt: f.slot(3)})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case kindOf(err) != apperr.Conflict:
			t.Errorf("a losing booking failed with %v, want conflict", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d bookings won table 2 in the last slot, want 1", wins)
	}
	var rows int
	f.db.R.Get(&rows, `SELECT COUNT(*) FROM meetings`)
	if rows != 1 {
		t.Errorf("%d meetings stored", rows)
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.store.Pairing(context.Background(), 42)
	if !errors.Is(err, errNotFound) {
		t.Errorf("unknown pairing: %v", err)
	}
}

// TestPresenterBusyForRoadshow: the roadshow clash check learns that a
// presenter sits at a meeting.
func TestPresenterBusyForRoadshow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.pairing(f.project(0, "demand", "需求", "张三"), f.project(1, "achievement", "成果", "李四"))
	if _, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(1)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		who       string
		from, to  int // minutes after the session start
		wantClash bool
	}{
		{"李四", 25, 35, true}, {"张三", 0, 20, false}, {"李四", 40, 60, false}, {"王五", 20, 40, false},
	}
	for _, tt := range tests {
		cs, err := f.store.PresenterBusy(ctx, f.edition, tt.who, f.slot(0).Add(minutes(tt.from)), f.slot(0).Add(minutes(tt.to)))
		if err != nil {
			t.Fatal(err)
		}
		if (len(cs) > 0) != tt.wantClash {
			t.Errorf("%s %d–%d min: clashes %+v, want clash %v", tt.who, tt.from, tt.to, cs, tt.wantClash)
		}
	}
}
